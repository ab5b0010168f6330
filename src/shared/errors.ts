/**
 * Errors a user can cause (bad config, missing or malformed data, unknown run id, unavailable backend).
 * They carry a message that says what to do and reach the CLI/UI as such, never as a stack trace.
 */
export const USER_ERROR_CODES = [
  'config',
  'usage',
  'data-missing',
  'data-malformed',
  'not-found',
  'backend-unavailable',
  'checkpoint',
  'network',
  'io',
] as const;
export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    readonly code: UserErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}

/** A serializable form, for worker messages and the API. */
export interface ErrorInfo {
  code: UserErrorCode | 'internal';
  message: string;
  stack?: string;
}

export function toErrorInfo(e: unknown): ErrorInfo {
  if (isUserError(e)) return { code: e.code, message: e.message };
  if (e instanceof Error)
    return { code: 'internal', message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
  return { code: 'internal', message: String(e) };
}
