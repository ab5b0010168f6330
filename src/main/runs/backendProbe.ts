/**
 * Asks a fresh engine worker what each backend says about itself on this machine. A separate thread,
 * so a native backend that misbehaves while initializing cannot take the host down with it.
 */
import { UserError } from '../../shared/errors';
import type { BackendReport } from '../../shared/backends';
import type { Threads } from '../../shared/api';
import { defaultWorkerEntry, WorkerHost, type WorkerEntry } from './workerHost';

/** `threads` sets the wasm thread count the report describes (the message's typed field). */
export function probeBackends(
  options: { threads?: Threads | undefined; entry?: WorkerEntry } = {},
): Promise<BackendReport[]> {
  return new Promise((resolve, reject) => {
    const host: WorkerHost = new WorkerHost(
      {
        onMessage: (m) => {
          if (m.type === 'backends') {
            resolve(m.reports);
            void host.terminate();
          } else if (m.type === 'failed') {
            reject(new UserError('backend-unavailable', `probing the backends failed: ${m.error.message}`));
            void host.terminate();
          }
        },
        onCrash: (error) => reject(new UserError('backend-unavailable', error.message)),
      },
      options.entry ?? defaultWorkerEntry(),
    );
    host.send({
      type: 'describe-backends',
      ...(options.threads === undefined ? {} : { threads: options.threads }),
    });
  });
}
