import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../../src/main/api/reproduce/plan';
import { planRunsBySlot } from '../../../../src/main/api/reproduce/planSlots';
import type { PlannedRunStatus } from '../../../../src/main/api/reproduce/planStatus';

describe("a reproduction's runs per slot", () => {
  const plan = buildPlan({ scale: 'quick' });
  /** Every planned key, done as run `id-<key>` unless listed otherwise. */
  const statuses = (other: Record<string, PlannedRunStatus['state']> = {}): PlannedRunStatus[] =>
    plan.runs.map((r) => {
      const state = other[r.key] ?? 'done';
      return state === 'to-run' ? { key: r.key, state } : { key: r.key, state, runId: `id-${r.key}` };
    });

  it('names every slot of every template, TEMPLATE/LABEL, with the stored runs of its keys', () => {
    const slots = planRunsBySlot(plan, statuses());
    const expected = Object.entries(plan.slots).flatMap(([t, s]) => Object.keys(s).map((l) => `${t}/${l}`));
    expect(Object.keys(slots).sort()).toEqual(expected.sort());
    for (const [t, s] of Object.entries(plan.slots)) {
      for (const [label, keys] of Object.entries(s)) {
        expect(slots[`${t}/${label}`]).toEqual(keys.map((k) => `id-${k}`));
      }
    }
  });

  it('shares one run between the figures whose configs agree (Fig 1 at LR 0.1 and Fig 4)', () => {
    const slots = planRunsBySlot(plan, statuses());
    expect(slots['fig4/bn']).toEqual(slots['fig1/bn-lr0.1']);
    expect(slots['fig4/bn']?.length).toBeGreaterThan(0);
  });

  it('leaves out runs not done yet, so their claims are inconclusive rather than judged early', () => {
    const key = plan.slots['fig4']?.['bn']?.[0] as string;
    const slots = planRunsBySlot(plan, statuses({ [key]: 'resumable' }));
    expect(slots['fig4/bn']).not.toContain(`id-${key}`);
    expect(planRunsBySlot(plan, statuses({ [key]: 'to-run' }))['fig4/bn']).not.toContain(`id-${key}`);
  });
});
