/**
 * The compare and figure methods through the service as a host calls them (dispatch, the contract's
 * params and result schemas), over a database seeded with the figure fixture's runs.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/main/store';
import { isUserError } from '../../../src/shared/errors';
import { FIGURE_TEMPLATES } from '../../../src/shared/figureTemplates';
import { seedFigureRuns } from '../../helpers/figureRuns';
import { openHarness, type ServiceHarness } from '../../helpers/serviceHarness';
import { tempDirs } from '../../helpers/tempDirs';
import { parseSvg, readPdf, readPng } from './figures/figureFiles';

const dirs = tempDirs('figure-handlers');
let h: ServiceHarness;
let runIds: Record<string, string[]>;

beforeAll(() => {
  const dir = dirs.make();
  // The harness opens runs.sqlite in `dir`: seed it first, through the store.
  const store = openStore(join(dir, 'runs.sqlite'));
  ({ runIds } = seedFigureRuns(store, { templates: ['fig4', 'fig5'], seeds: 2 }));
  store.close();
  h = openHarness(dir);
});
afterAll(async () => {
  await h.close();
  dirs.cleanup();
});

const ids = (name: string): string[] => runIds[name] ?? [];

async function userError(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call;
  } catch (e) {
    if (isUserError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a user error');
}

describe('compare.metrics', () => {
  it('counts the runs that have each series', async () => {
    const bn = ids('fig4-cpu/bn');
    const plain = ids('fig4-cpu/plain');
    const metrics = await h.call('compare.metrics', { runIds: [...bn, ...plain] });
    const byName = new Map(metrics.map((m) => [m.name, m.runs]));
    expect(byName.get('train/loss')).toBe(4);
    expect(byName.get('probe/landscape/beta_eff')).toBe(4);
  });
});

describe('figures.templates', () => {
  it('lists every template with the seeded runs in the slots of the seeded figures', async () => {
    const templates = await h.call('figures.templates', {});
    expect(templates.map((t) => t.name)).toEqual(FIGURE_TEMPLATES.map((t) => t.name));
    const fig4 = templates.find((t) => t.name === 'fig4');
    const bn = fig4?.slots.find((s) => s.label === 'bn');
    expect([...(bn?.runIds ?? [])].sort()).toEqual([...ids('fig4-cpu/bn')].sort());
    const fig1 = templates.find((t) => t.name === 'fig1');
    for (const slot of fig1?.slots ?? []) expect(slot.runIds).toEqual([]);
  });
});

describe('figures.build', () => {
  it('builds a compare and a template as the contract describes them', async () => {
    const compare = await h.call('figures.build', {
      spec: {
        kind: 'compare',
        runIds: [...ids('fig4-cpu/bn'), ...ids('fig4-cpu/plain')],
        panels: [{ metric: 'train/loss' }],
        groupBy: ['model.normalization'],
      },
      width: 400,
    });
    expect(compare.panels).toHaveLength(1);
    // Grouped by normalization: one line per group, each over its two seeds.
    const lines = compare.panels[0]?.lines.filter((l) => l.role === 'line') ?? [];
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l.label).toMatch(/\(n=2\)/);
    const fig5 = await h.call('figures.build', { spec: { kind: 'template', template: 'fig5' } });
    expect(fig5.panels.map((p) => p.key)).toEqual(
      FIGURE_TEMPLATES.find((t) => t.name === 'fig5')?.panels.map((p) => p.key),
    );
  });
});

describe('figures.export', () => {
  const spec = { kind: 'template' as const, template: 'fig4' };

  it('answers each format as a base64 file with its name, type and size', async () => {
    const svg = await h.call('figures.export', { spec, format: 'svg' });
    expect(svg).toMatchObject({ fileName: 'fig4.svg', mime: 'image/svg+xml' });
    const svgBytes = Buffer.from(svg.base64, 'base64');
    expect(svg.bytes).toBe(svgBytes.length);
    expect(parseSvg(svgBytes.toString('utf8')).name).toBe('svg');

    const png = await h.call('figures.export', { spec, format: 'png', size: { widthMm: 84, dpi: 100 } });
    expect(png.mime).toBe('image/png');
    expect(readPng(Buffer.from(png.base64, 'base64')).width).toBe(Math.round((84 / 25.4) * 100));

    const pdf = await h.call('figures.export', { spec, format: 'pdf', size: { heightMm: 90 } });
    expect(pdf.fileName).toBe('fig4.pdf');
    const box = readPdf(Buffer.from(pdf.base64, 'base64')).mediaBoxes[0] ?? [];
    expect(box[3]).toBeCloseTo((90 / 25.4) * 72, 2);

    const csv = await h.call('figures.export', { spec, format: 'csv' });
    expect(Buffer.from(csv.base64, 'base64').toString('utf8')).toMatch(/^panel,panel_title,line,/);
    const json = await h.call('figures.export', { spec, format: 'json' });
    const doc = JSON.parse(Buffer.from(json.base64, 'base64').toString('utf8')) as {
      spec: { template: string };
    };
    expect(doc.spec.template).toBe('fig4');
  });

  it('refuses what the user can get wrong with a message saying what to do', async () => {
    const unknownRun = await userError(
      h.call('figures.export', {
        spec: { kind: 'compare', runIds: ['nosuchrun'], panels: [{ metric: 'train/loss' }] },
        format: 'svg',
      }),
    );
    expect(unknownRun.code).toBe('not-found');
    expect(unknownRun.message).toMatch(/nosuchrun.*normlab list/);
    const unknownTemplate = await userError(
      h.call('figures.export', { spec: { kind: 'template', template: 'fig99' }, format: 'svg' }),
    );
    expect(unknownTemplate.message).toMatch(/fig99.*fig1/);
    const badDpi = await userError(h.call('figures.export', { spec, format: 'png', size: { dpi: 5000 } }));
    expect(badDpi.code).toBe('usage');
    expect(badDpi.message).toMatch(/dpi/);
  });
});
