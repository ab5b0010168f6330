/**
 * `normlab serve` as a user starts it (bin/normlab.js serve, the built bundle) on a throwaway
 * NORMLAB_HOME: it prints the URL with its token, refuses calls without it, answers with it, and on
 * Ctrl-C (SIGINT) while a run trains it checkpoints and stops the run (resumable), then exits 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, runCli, homeDb, type CliProcess } from '../../../helpers/cli';
import { ensureCliBuilt } from '../../../helpers/cliBuild';
import { tempDirs } from '../../../helpers/tempDirs';
import { waitUntil } from '../../../helpers/waitUntil';

const dirs = tempDirs('serve-cli');
beforeAll(async () => ensureCliBuilt(), 180_000);
afterAll(() => dirs.cleanup());

interface Answer<T> {
  ok: boolean;
  result?: T;
  error?: { code: string; message: string };
}

async function startServe(
  home: string,
  args: string[] = [],
): Promise<{ proc: CliProcess; url: URL; token: string }> {
  const proc = startCli(['serve', '--port', '0', '--no-open', ...args], home);
  const printed = await waitUntil(
    () => /http:\/\/\S+\?token=[A-Za-z0-9_-]+/.exec(proc.stdout())?.[0],
    `the URL in normlab serve's output:\n${proc.stdout()}${proc.stderr()}`,
    { timeoutMs: 60_000 },
  );
  const url = new URL(printed);
  return { proc, url, token: url.searchParams.get('token') ?? '' };
}

async function call<T>(
  url: URL,
  token: string | null,
  method: string,
  params: unknown,
): Promise<{ status: number; body: Answer<T> }> {
  const res = await fetch(new URL(`/api/call/${method}`, url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(params),
  });
  return { status: res.status, body: (await res.json()) as Answer<T> };
}

describe('normlab serve (built CLI)', () => {
  it('refuses a bad --port with a usage error', async () => {
    const result = await runCli(['serve', '--port', 'eighty'], dirs.make());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port takes a port number');
  });

  it('serves with a token and stops a training run cleanly on Ctrl-C', async () => {
    const home = dirs.make();
    const { proc, url, token } = await startServe(home);
    expect(url.hostname).toBe('127.0.0.1');
    expect(proc.stdout()).toContain(homeDb(home));

    expect((await call(url, null, 'app.info', {})).status).toBe(401);
    expect((await call(url, 'wrong', 'app.info', {})).status).toBe(401);
    const info = await call<{ host: string }>(url, token, 'app.info', {});
    expect(info.body).toMatchObject({ ok: true, result: { host: 'serve' } });

    const started = await call<{ runId: string }>(url, token, 'runs.start', {
      preset: 'dln25-bn',
      backend: 'wasm',
      threads: 1,
      overrides: ['schedule.steps=1000000', 'schedule.checkpointEvery=1000000'],
    });
    expect(started.body.ok, JSON.stringify(started.body)).toBe(true);
    const runId = started.body.result?.runId ?? '';
    // Training: a few steps stored.
    let stepsStored = 0;
    for (const deadline = Date.now() + 90_000; Date.now() < deadline;) {
      const got = await call<{ row: { status: string }; series: { lastStep: number }[] }>(
        url,
        token,
        'runs.get',
        {
          runId,
        },
      );
      stepsStored = Math.max(0, ...(got.body.result?.series ?? []).map((x) => x.lastStep));
      if (got.body.result?.row.status === 'running' && stepsStored > 1) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(stepsStored).toBeGreaterThan(1);

    proc.child.kill('SIGINT');
    const exit = await proc.exited;
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stdout).toContain('Stopping 1 active run');

    // A fresh server finds the run stopped with a checkpoint, so it can be resumed.
    const again = await startServe(home);
    try {
      const detail = await call<{ row: { status: string }; checkpoints: { step: number }[] }>(
        again.url,
        again.token,
        'runs.get',
        { runId },
      );
      expect(['stopped', 'interrupted']).toContain(detail.body.result?.row.status);
      expect(detail.body.result?.checkpoints.length).toBeGreaterThan(0);
    } finally {
      again.proc.child.kill('SIGINT');
      expect((await again.proc.exited).code).toBe(0);
    }
  });
});
