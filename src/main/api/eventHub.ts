/**
 * The sessions of a service (an Electron window, a WebSocket, the CLI) and the fan-out of events to
 * them: each event goes to every session, which passes on only the streams it subscribed to
 * (dispatch.ts createSession). A session that fails to deliver is dropped, not the event's source.
 */
import type { ApiEvent } from '../../shared/api';
import { createSession, type ApiSession } from './dispatch';

export class EventHub {
  private readonly sessions = new Set<ApiSession>();

  open(deliver: (event: ApiEvent) => void): ApiSession {
    const session = createSession(deliver);
    this.sessions.add(session);
    return session;
  }

  close(session: ApiSession): void {
    this.sessions.delete(session);
  }

  /** Whether any session wants this stream (so costly events are built only when someone listens). */
  wanted(event: ApiEvent): boolean {
    for (const s of this.sessions) if (s.wants(event)) return true;
    return false;
  }

  publish(event: ApiEvent): void {
    for (const s of [...this.sessions]) {
      try {
        s.send(event);
      } catch {
        // A transport that throws (a closed socket) loses its session; the run goes on.
        this.sessions.delete(s);
      }
    }
  }
}
