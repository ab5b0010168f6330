/**
 * Node's fetch reports every transport failure as `TypeError('fetch failed')` (or 'terminated' when
 * a body stream breaks) with the system error in `cause`. These turn them into UserError('network')
 * messages that say what happened and what to do.
 */
import { UserError } from '../../../shared/errors';

/** The system error code behind a fetch failure (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET, ...), if any. */
export function networkErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function describe(error: unknown): string {
  const code = networkErrorCode(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return code ?? cause ?? (error instanceof Error ? error.message : String(error));
}

/** The host could not be reached at all (offline, DNS failure, refused or timed-out connection). */
export function unreachableError(url: string, error: unknown, manualHint: string): UserError {
  const host = new URL(url).host;
  return new UserError(
    'network',
    `Could not reach ${host} (${describe(error)}). Check your internet connection and try again, or ${manualHint}`,
  );
}

/** The connection dropped mid-download; the bytes received so far are kept for a resume. */
export function interruptedError(
  url: string,
  received: number,
  total: number | undefined,
  error: unknown,
  manualHint: string,
): UserError {
  const of = total === undefined ? '' : ` of ${total}`;
  return new UserError(
    'network',
    `The download of ${url} was interrupted after ${received}${of} bytes (${describe(error)}). Run the ` +
      `command again to resume it, or ${manualHint}`,
  );
}
