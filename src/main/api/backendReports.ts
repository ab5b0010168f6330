/**
 * What each compute backend reports on this machine (runs/backendProbe.ts), probed once per thread
 * count and kept for the life of the service: probing starts a worker and initializes every backend,
 * seconds of work, and the answer does not change while the app runs. `refresh` probes again.
 */
import type { Threads } from '../../shared/api';
import type { BackendReport } from '../../shared/backends';
import { probeBackends } from '../runs/backendProbe';

export class BackendReports {
  private readonly cache = new Map<string, Promise<BackendReport[]>>();

  get(options: { refresh?: boolean; threads?: Threads | undefined } = {}): Promise<BackendReport[]> {
    const key = String(options.threads ?? 'default');
    let reports = this.cache.get(key);
    if (!reports || options.refresh) {
      reports = probeBackends({ threads: options.threads });
      // A failed probe is not kept: the next call tries again.
      reports.catch(() => this.cache.delete(key));
      this.cache.set(key, reports);
    }
    return reports;
  }
}
