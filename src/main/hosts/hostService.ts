/**
 * What a host needs of the NormLab service (src/main/api/service.ts): the handlers it dispatches to,
 * a session per client, and a clean stop. Written as an interface so that hosts can be tested with a
 * fake service that records calls.
 */
import type { ApiEvent } from '../../shared/api';
import type { ApiHandlers, ApiSession } from '../api/dispatch';

export interface HostService {
  readonly handlers: ApiHandlers;
  readonly dbPath: string;
  /** A session for one client; its subscribed events go to `deliver`. */
  openSession(deliver: (event: ApiEvent) => void): ApiSession;
  closeSession(session: ApiSession): void;
  /** Ids of the runs queued, running or paused in this process. */
  activeRuns(): string[];
  /** Checkpoints and stops the active runs (they can be resumed), then closes the store. */
  shutdown(): Promise<void>;
}
