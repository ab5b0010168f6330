/**
 * A `normlab run` that is killed (SIGKILL: power cut, OOM killer) or interrupted (Ctrl-C, SIGINT)
 * leaves a consistent database, and `normlab resume` continues it to exactly the trajectory of a run
 * that was never interrupted: the engine is deterministic, checkpoints restore the full state, and
 * the points logged after the checkpoint are dropped before resuming.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../../src/shared/runTypes';
import {
  announcedRunId,
  homeDb,
  runCli,
  runCliJson,
  setArgs,
  startCli,
  type CliProcess,
  type CliResult,
} from '../../../helpers/cli';
import { ensureCliBuilt } from '../../../helpers/cliBuild';
import {
  checkpointSteps,
  foreignKeyViolations,
  integrityCheck,
  readRunRow,
} from '../../../helpers/runDatabase';
import { tempDirs } from '../../../helpers/tempDirs';
import { waitUntil } from '../../../helpers/waitUntil';

interface ExportJson {
  run: RunRecord;
  series: Record<string, { step: number; value: number | string }[]>;
}

const STEPS = 18;
const CHECKPOINT_EVERY = 3;
/** dln25-bn at few steps: train/loss logged at every step, a checkpoint every CHECKPOINT_EVERY steps. */
const RUN_ARGS = [
  ...['run', '--preset', 'dln25-bn', '--backend', 'wasm'],
  ...setArgs(
    `schedule.steps=${STEPS}`,
    'schedule.trainMetricsEvery=1',
    `schedule.checkpointEvery=${CHECKPOINT_EVERY}`,
  ),
];

const dirs = tempDirs('cli-interrupt');
let home: string;
/** The same run, never interrupted: the trajectory a resumed run must reproduce. */
let reference: Promise<CliResult>;

async function trainLoss(runId: string): Promise<{ step: number; value: number | string }[]> {
  const exported = await runCliJson<ExportJson>(['export', runId, '--format', 'json'], home);
  // Wall times differ between runs; steps and values must not.
  return (exported.series['train/loss'] ?? []).map(({ step, value }) => ({ step, value }));
}

async function referenceLoss(): Promise<{ step: number; value: number | string }[]> {
  const result = await reference;
  expect(result.code, result.stderr).toBe(0);
  const loss = await trainLoss(announcedRunId(result.stderr) as string);
  expect(loss.map((p) => p.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
  return loss;
}

/** Starts a run and waits until it has stored its first checkpoint (so it is inside the training loop). */
async function startAndWaitForCheckpoint(): Promise<{ proc: CliProcess; runId: string }> {
  const proc = startCli(RUN_ARGS, home);
  const runId = await waitUntil(() => announcedRunId(proc.stderr()), 'the run id on stderr');
  await waitUntil(
    () => (checkpointSteps(homeDb(home), runId).length > 0 ? true : undefined),
    `a checkpoint of run ${runId}`,
  );
  return { proc, runId };
}

async function resumeToCompletion(runId: string): Promise<string> {
  const resumed = await runCli(['resume', runId], home);
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.stdout).toMatch(new RegExp(`^run ${runId} completed ${STEPS} steps`, 'm'));
  return resumed.stderr;
}

beforeAll(async () => {
  await ensureCliBuilt();
  home = dirs.make();
  reference = runCli(RUN_ARGS, home);
});
afterAll(async () => {
  await reference.catch(() => undefined);
  dirs.cleanup();
});

describe('a killed run', () => {
  it('is found interrupted in a consistent database and resumes to the uninterrupted trajectory', async () => {
    const { proc, runId } = await startAndWaitForCheckpoint();
    proc.child.kill('SIGKILL');
    const killed = await proc.exited;
    expect(killed.signal, `the run ended before it was killed:\n${killed.stdout}`).toBe('SIGKILL');

    // As the killed process left it: still marked running, with a checkpoint before the end.
    const raw = readRunRow(homeDb(home), runId);
    expect(raw?.status).toBe('running');
    const ckpt = checkpointSteps(homeDb(home), runId).at(-1) as number;
    expect(ckpt % CHECKPOINT_EVERY).toBe(0);
    expect(ckpt).toBeLessThan(STEPS);

    // The next process that opens the database finds its owner gone; the live reference run is not touched.
    const runs = await runCliJson<RunRecord[]>(['list', '--json'], home);
    const run = runs.find((r) => r.id === runId);
    expect(run?.status).toBe('interrupted');
    expect(run?.lastStep).toBeGreaterThanOrEqual(ckpt);
    expect(integrityCheck(homeDb(home))).toEqual(['ok']);
    expect(foreignKeyViolations(homeDb(home))).toBe(0);

    const log = await resumeToCompletion(runId);
    const latest = Number(/resuming at step (\d+)/.exec(log)?.[1]);
    expect(latest).toBeGreaterThanOrEqual(ckpt);
    expect(latest % CHECKPOINT_EVERY).toBe(0);

    // Every step logged once, each value equal to the uninterrupted run's to the bit.
    expect(await trainLoss(runId)).toEqual(await referenceLoss());
    expect(integrityCheck(homeDb(home))).toEqual(['ok']);
  });
});

describe('Ctrl-C during a run', () => {
  it('stops cleanly with a checkpoint at the stop step, and resume completes it exactly', async () => {
    const { proc, runId } = await startAndWaitForCheckpoint();
    proc.child.kill('SIGINT');
    const stopped = await proc.exited;
    expect(stopped.code, stopped.stderr).toBe(0);
    const at = /^run [0-9a-z]{8} stopped at step (\d+); continue with `normlab resume ([0-9a-z]{8})`/m.exec(
      stopped.stdout,
    );
    expect(at, stopped.stdout).not.toBeNull();
    expect(at?.[2]).toBe(runId);
    const step = Number(at?.[1]);
    expect(step).toBeGreaterThanOrEqual(CHECKPOINT_EVERY);
    expect(step).toBeLessThan(STEPS);

    const show = await runCliJson<{ run: RunRecord; checkpoints: { step: number }[] }>(
      ['show', runId, '--json'],
      home,
    );
    expect(show.run).toMatchObject({ status: 'stopped', lastStep: step, error: null });
    expect(show.checkpoints.at(-1)?.step).toBe(step);
    // Nothing was logged past the stop step.
    expect((await trainLoss(runId)).at(-1)?.step).toBe(step);

    const log = await resumeToCompletion(runId);
    expect(log).toMatch(new RegExp(`resuming at step ${step}\\b`));
    expect(await trainLoss(runId)).toEqual(await referenceLoss());
  });
});
