import { describe, expect, it } from 'vitest';
import { defaultWorkerEntry, WorkerHost } from '../../../src/main/runs/workerHost';
import type { HostToWorker, WorkerToHost } from '../../../src/shared/workerProtocol';

/** Sends one message to a fresh engine worker and collects what it answers until it ends or fails. */
function exchange(message: HostToWorker, env: Record<string, string> = {}): Promise<WorkerToHost[]> {
  return new Promise((resolve, reject) => {
    const got: WorkerToHost[] = [];
    const host: WorkerHost = new WorkerHost(
      {
        onMessage: (m) => {
          got.push(m);
          if (m.type === 'failed' || (m.type === 'event' && m.event.type === 'ended')) {
            void host.terminate().then(() => resolve(got));
          }
        },
        onCrash: (e) => reject(new Error(e.message)),
      },
      defaultWorkerEntry(),
      env,
    );
    host.send(message);
  });
}

describe('the engine worker', () => {
  it('is found by the runs layer at src/main/engine/worker.ts under tsx', () => {
    expect(defaultWorkerEntry().path).toMatch(/src[/\\]main[/\\]engine[/\\]worker\.ts$/);
  });

  it("starts wasm with the message's thread count, over NORMLAB_WASM_THREADS", async () => {
    const spec = {
      network: 'vgg-tiny',
      normalization: 'none',
      batchSize: 2,
      warmupSteps: 0,
      timedSteps: 1,
    } as const;
    const got = await exchange(
      { type: 'bench', backend: 'wasm', specs: [spec], threads: 2 },
      { NORMLAB_WASM_THREADS: '1' },
    );
    const bench = got.find((m) => m.type === 'bench');
    expect(got.find((m) => m.type === 'failed')).toBeUndefined();
    expect(bench?.type === 'bench' && bench.backend.details.threadsCount).toBe(2);
  });
});
