/** Facts about this machine that need no database: the compute backends. */
import type { BackendReport } from '../../shared/backends';
import { probeBackends } from '../runs/backendProbe';

export type { BackendReport };

export function describeBackends(): Promise<BackendReport[]> {
  return probeBackends();
}
