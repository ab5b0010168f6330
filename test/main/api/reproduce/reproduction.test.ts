/**
 * reproduce.plan / start / results through the service (the stand-in engine worker trains nothing, in
 * milliseconds): runs stored once and tagged, reused and resumed on a rerun, nothing stored when the
 * dataset is missing, and the plan's states and totals following the store.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPlan } from '../../../../src/main/api/reproduce/plan';
import { openHarness, type ServiceHarness } from '../../../helpers/serviceHarness';
import { tempDirs } from '../../../helpers/tempDirs';
import { userErrorFrom } from '../../../helpers/userError';

const dirs = tempDirs('repro-service');
afterAll(() => dirs.cleanup());

let h: ServiceHarness;
beforeEach(() => {
  h = openHarness(dirs.make());
});
afterEach(async () => {
  await h.close();
});

/** Fig 10 at smoke scale: DLN runs only (no CIFAR-10 needed), one seed each. */
const FIG10 = { scale: 'smoke', only: 'fig10' } as const;

async function waitAllDone(): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const plan = await h.call('reproduce.plan', FIG10);
    if (plan.runs.every((r) => r.state === 'done')) return;
    if (Date.now() > deadline) throw new Error(`not done: ${plan.runs.map((r) => r.state).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a reproduction through the service', () => {
  it('plans, trains each run once with the tag, and a rerun reuses every finished run', async () => {
    const before = await h.call('reproduce.plan', FIG10);
    expect(before.tag).toBe('repro:smoke:spec');
    expect(before.templates).toEqual(['fig10']);
    expect(before.claims).toEqual(['fig4-landscape']);
    expect(before.runs.map((r) => r.state)).toEqual(before.runs.map(() => 'to-run'));
    expect(before.runs.map((r) => r.key)).toEqual(buildPlan(FIG10).runs.map((r) => r.key));
    expect(before.total).toMatchObject({ scale: 'smoke', runs: 2, toTrain: 2 });
    expect(before.otherScales.map((t) => t.scale)).toEqual(['quick', 'cpu', 'paper']);

    const first = await h.call('reproduce.start', FIG10);
    expect(first.queued).toHaveLength(2);
    expect(first.reused).toEqual([]);
    await waitAllDone();
    const { rows } = await h.call('runs.list', { tags: ['repro:smoke:spec'] });
    expect(rows.map((r) => r.id).sort()).toEqual([...first.queued].sort());
    expect(rows.map((r) => r.name).sort()).toEqual(['fig10/bn seed 0', 'fig10/plain seed 0']);

    const after = await h.call('reproduce.plan', FIG10);
    expect(after.total.toTrain).toBe(0);
    expect(after.runs.map((r) => r.runId).sort()).toEqual([...first.queued].sort());

    const again = await h.call('reproduce.start', FIG10);
    expect(again.queued).toEqual([]);
    expect(again.reused.sort()).toEqual([...first.queued].sort());
    expect((await h.call('runs.list', {})).total).toBe(2);
  });

  it('--plan --calibrate times the kinds left, so every run has an estimate before anything ran', async () => {
    const plain = await h.call('reproduce.plan', FIG10);
    expect(plain.runs.every((r) => r.estimateSec === null)).toBe(true);
    expect(plain.total.totalSec).toBeNull();
    const timed = await h.call('reproduce.plan', { ...FIG10, calibrate: true, threads: 1 });
    for (const r of timed.runs) {
      expect(r.estimateSec).toBeGreaterThan(0);
      expect(r.basis).toMatch(/^calibrated here/);
    }
    expect(timed.total.totalSec).toBeCloseTo(
      timed.runs.reduce((sum, r) => sum + (r.estimateSec as number), 0),
      6,
    );
    // The other CPU scales are timed too, so --plan states their totals (paper scale is timed only
    // when chosen; its DLN runs are of the kinds timed here anyway).
    for (const t of timed.otherScales) expect(t.totalSec).toBeGreaterThan(0);
    // Kept for the process: a plan without --calibrate reads the same timings.
    expect((await h.call('reproduce.plan', { ...FIG10, threads: 1 })).total).toEqual(timed.total);
  });

  it('resumes a stopped run under its own id, and tags a matching run stored without the tag', async () => {
    const first = await h.call('reproduce.start', FIG10);
    const [a] = first.queued as [string, string];
    await h.call('runs.stop', { runId: a });
    await h.waitForStatus(a, 'stopped');
    await h.call('runs.update', { runId: a, tags: ['mine'] });
    const plan = await h.call('reproduce.plan', FIG10);
    expect(plan.runs.find((r) => r.runId === a)?.state).toBe('resumable');

    const second = await h.call('reproduce.start', FIG10);
    expect(second.resumed).toEqual([a]);
    expect(second.queued).toContain(a);
    await waitAllDone();
    expect((await h.call('runs.get', { runId: a })).row.tags.sort()).toEqual(['mine', 'repro:smoke:spec']);
    expect((await h.call('runs.list', {})).total).toBe(2);
  });

  it('reads the verdicts over the done runs, inconclusive where a claim needs figures not run', async () => {
    await h.call('reproduce.start', FIG10);
    await waitAllDone();
    const results = await h.call('reproduce.results', FIG10);
    expect(results.complete).toBe(true);
    expect(Object.keys(results.runsBySlot).sort()).toEqual(['fig10/bn', 'fig10/plain']);
    const [claim] = results.claims;
    expect(claim?.claim).toBe('fig4-landscape');
    expect(claim?.verdict).toBe('inconclusive');
    expect(claim?.missing).toContain('fig4/bn: no runs');
    expect(claim?.numbers.every((n) => n.description.length > 0)).toBe(true);
  });

  it('refuses a VGG figure without CIFAR-10 before storing anything', async () => {
    const e = await userErrorFrom(h.call('reproduce.start', { scale: 'smoke', only: 'fig4' }));
    expect(e.message).toMatch(/CIFAR-10 was not found/);
    expect((await h.call('runs.list', {})).total).toBe(0);
  });

  it('lists the scales, readings, figures and claims a reproduction takes', async () => {
    const catalog = await h.call('reproduce.catalog', {});
    expect(catalog.scales.map((s) => s.scale)).toEqual(['smoke', 'quick', 'cpu', 'paper']);
    expect(catalog.readings[0]?.name).toBe('spec');
    expect(catalog.readings.map((r) => r.name)).toContain('dln-paper-scale');
    expect(catalog.figures).toContain('fig9');
    expect(catalog.claims.map((c) => c.id)).toEqual([
      'fig1-bn-lr',
      'fig2-noisy-bn',
      'fig3-ics',
      'fig4-landscape',
      'fig5-lp',
    ]);
  });

  it('refuses an unknown figure or reading, naming the choices', async () => {
    expect((await userErrorFrom(h.call('reproduce.plan', { scale: 'cpu', only: 'fig7' }))).message).toMatch(
      /fig1, fig2/,
    );
    expect((await userErrorFrom(h.call('reproduce.plan', { scale: 'cpu', reading: 'x' }))).message).toMatch(
      /spec/,
    );
  });
});
