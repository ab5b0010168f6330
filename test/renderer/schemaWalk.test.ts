import { describe, expect, it } from 'vitest';
import { experimentSchema, NETWORKS } from '../../src/shared/config';
import {
  getAt,
  issuesByField,
  leafPaths,
  setAt,
  walkSchema,
  type FieldNode,
} from '../../src/renderer/src/form/schemaWalk';
import { fieldLabel, fieldVisible } from '../../src/renderer/src/form/fieldMeta';

const fields = walkSchema(experimentSchema, new Set(['backend']));

function find(path: string): FieldNode {
  const visit = (list: readonly FieldNode[]): FieldNode | undefined => {
    for (const f of list) {
      if (f.path.join('.') === path) return f;
      if (f.kind === 'object') {
        const inner = visit(f.children);
        if (inner) return inner;
      }
    }
    return undefined;
  };
  const f = visit(fields);
  if (!f) throw new Error(`no field ${path}`);
  return f;
}

describe('the form generated from the config schema', () => {
  it('has a control for every kind of field', () => {
    expect(fields.map((f) => f.key)).toEqual([
      'name',
      'seed',
      'model',
      'data',
      'optimizer',
      'schedule',
      'probes',
    ]);
    expect(find('model.network')).toMatchObject({ kind: 'enum', options: [...NETWORKS] });
    expect(find('schedule.steps')).toMatchObject({ kind: 'number', integer: true, min: 0 });
    expect(find('model.widthMultiplier')).toMatchObject({
      kind: 'number',
      integer: false,
      max: 4,
      defaultValue: 1,
    });
    expect(find('data.standardize')).toMatchObject({ kind: 'boolean', defaultValue: true });
    expect(find('model.hidden')).toMatchObject({ kind: 'numberList', integer: true });
    expect(find('data.trainFiles')).toMatchObject({ kind: 'stringList' });
    expect(find('data.augment')).toMatchObject({ kind: 'object' });
    expect(find('probes.ics.layers')).toMatchObject({ kind: 'layers' });
    expect(find('probes.norms.every')).toMatchObject({ kind: 'literalOrNumber', literals: ['train'] });
    expect(find('data.dir')).toMatchObject({ kind: 'string' });
    const probes = find('probes');
    expect(probes.kind === 'object' && probes.children.map((c) => c.key)).toEqual([
      'ics',
      'landscape',
      'activations',
      'norms',
      'bnGradients',
      'hessian',
    ]);
  });

  it('leaves out what the form shows elsewhere', () => {
    expect(leafPaths(fields).has('backend')).toBe(false);
  });

  it('files each issue under its field, a list item under its list, the rest on top', () => {
    const parsed = experimentSchema.safeParse({
      model: { network: 'vgg-tiny' },
      data: { dataset: 'cifar10' },
      optimizer: { lr: -1 },
      schedule: { steps: 10 },
    });
    expect(parsed.success).toBe(false);
    const known = leafPaths(fields);
    const byField = issuesByField(parsed.error?.issues ?? [], known);
    expect(Object.keys(byField)).toEqual(['optimizer.lr']);
    const layers = experimentSchema.safeParse({
      model: { network: 'vgg-tiny' },
      data: { dataset: 'cifar10' },
      optimizer: { lr: 0.1 },
      schedule: { steps: 10 },
      probes: { ics: { every: 5, layers: [1, 9] } },
    });
    const layerIssues = issuesByField(layers.error?.issues ?? [], known);
    expect(layerIssues['probes.ics.layers']?.[0]).toMatch(/layers 1 to 3; layer 9 does not exist/);
    expect(issuesByField([{ code: 'custom', path: ['nowhere'], message: 'odd', input: 1 }], known)).toEqual({
      '': ['nowhere: odd'],
    });
  });

  it('shows a field only where it applies, with a readable label', () => {
    const mlp = { model: { network: 'mlp', normalization: 'none' }, optimizer: { name: 'adam' } };
    expect(fieldVisible(['model', 'hidden'], mlp)).toBe(true);
    expect(fieldVisible(['model', 'widthMultiplier'], mlp)).toBe(false);
    expect(fieldVisible(['model', 'eps'], mlp)).toBe(false);
    expect(fieldVisible(['optimizer', 'beta1'], mlp)).toBe(true);
    expect(fieldVisible(['optimizer', 'momentum'], mlp)).toBe(false);
    expect(fieldVisible(['probes', 'ics', 'layers'], { probes: { ics: { every: 0 } } })).toBe(false);
    expect(fieldVisible(['probes', 'ics', 'layers'], { probes: { ics: { every: 10 } } })).toBe(true);
    expect(fieldLabel(['schedule', 'trainMetricsEvery'])).toBe('Train metrics every');
    expect(fieldLabel(['probes', 'hessian', 'maxIterations'])).toBe('Power iterations');
    expect(fieldLabel(['data', 'somethingNew'])).toBe('Something new');
  });

  it('reads and writes by path', () => {
    const config: Record<string, unknown> = {};
    setAt(config, ['probes', 'ics', 'every'], 10);
    expect(getAt(config, ['probes', 'ics', 'every'])).toBe(10);
    setAt(config, ['probes', 'ics', 'every'], undefined);
    expect(config).toEqual({ probes: { ics: {} } });
  });
});
