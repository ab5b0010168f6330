/**
 * The part of a transport that Electron's IPC and serve's WebSocket share: read an untrusted frame as
 * a WireCall, hand it to dispatch (which checks the method and its params against the contract), and
 * turn the outcome into a WireReply. Nothing here decides anything about NormLab; it only refuses
 * frames that are not calls and keeps internal details (stacks, messages of unexpected errors) on the
 * host's side.
 */
import { wireCallSchema, type WireCall, type WireReply } from '../../shared/api';
import { formatIssues } from '../../shared/configOverrides';
import { isUserError, type ErrorInfo } from '../../shared/errors';
import { dispatch, type ApiHandlers, type ApiSession } from '../api/dispatch';

/**
 * The largest call a host accepts, in bytes of its JSON. The biggest legitimate calls (deleting
 * 10,000 runs by id, a run's notes of 100,000 characters) stay well below it.
 */
export const MAX_CALL_BYTES = 4 * 1024 * 1024;

/** What a client is told when a handler fails unexpectedly; the details go to the host's log. */
export const INTERNAL_ERROR_MESSAGE = 'internal error in NormLab (the details are in the host log)';

export type ParsedCall =
  | { ok: true; call: WireCall }
  /** `id` is the frame's call id when one could be read (so the client can be answered), else null. */
  | { ok: false; id: number | null; error: ErrorInfo };

/** Receives unexpected errors (with their stacks) that the client is not shown. */
export type HostLog = (message: string, error?: unknown) => void;

function readableId(frame: unknown): number | null {
  if (frame === null || typeof frame !== 'object') return null;
  const id = (frame as { id?: unknown }).id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : null;
}

/** Checks that a decoded frame is a call (`{kind:'call', id, method, params}`, nothing more). */
export function parseWireCall(frame: unknown): ParsedCall {
  const parsed = wireCallSchema.safeParse(frame);
  if (parsed.success) return { ok: true, call: parsed.data };
  return {
    ok: false,
    id: readableId(frame),
    error: { code: 'usage', message: `not a NormLab API call:\n${formatIssues(parsed.error)}` },
  };
}

/**
 * The error a client may see: a UserError as it is (it says what to do); anything else is logged
 * here with its stack and answered with a generic message.
 */
export function clientError(e: unknown, log: HostLog, context: string): ErrorInfo {
  if (isUserError(e)) return { code: e.code, message: e.message };
  log(`internal error in ${context}`, e);
  return { code: 'internal', message: INTERNAL_ERROR_MESSAGE };
}

/** Runs a checked call through dispatch and answers it; never throws. */
export async function answerCall(
  handlers: ApiHandlers,
  session: ApiSession,
  call: WireCall,
  log: HostLog,
): Promise<WireReply> {
  try {
    const result = await dispatch(handlers, session, call.method, call.params);
    return { kind: 'reply', id: call.id, ok: true, result };
  } catch (e) {
    return { kind: 'reply', id: call.id, ok: false, error: clientError(e, log, call.method) };
  }
}

/** The reply to a frame that was not a call (with the id it carried, or -1 when it had none). */
export function refusal(id: number | null, error: ErrorInfo): WireReply {
  return { kind: 'reply', id: id ?? -1, ok: false, error };
}
