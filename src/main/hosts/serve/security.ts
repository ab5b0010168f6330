/**
 * Who may talk to `normlab serve`. Three checks, as Jupyter does them:
 * - a random token, printed in the URL, on every API call and WebSocket (else 401): any local user or
 *   web page can reach a port on 127.0.0.1, and the API starts code-heavy jobs and deletes runs;
 * - the Host header must name the address the server listens on (else 403): a DNS-rebinding page
 *   reaches 127.0.0.1 under its own domain name, which is refused here;
 * - an Origin header, when a browser sends one, must be this server's own (else 403): a foreign page
 *   may open a WebSocket to any address, and only the Origin tells it apart.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';

/** 32 random bytes, URL-safe (base64url): the token printed in the URL. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares in constant time, so the token cannot be guessed byte by byte from response times. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(expected), digest(given));
}

/**
 * The token a request carries: `Authorization: Bearer TOKEN` (scripts, curl) or `?token=TOKEN` (the
 * browser page, and WebSockets, which cannot set headers). A repeated parameter counts as none.
 */
export function requestToken(
  headers: { authorization?: string | undefined },
  query: unknown,
): string | undefined {
  const auth = headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1] : undefined;
  }
  if (query !== null && typeof query === 'object') {
    const token = (query as { token?: unknown }).token;
    if (typeof token === 'string') return token;
  }
  return undefined;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

export function isWildcardHost(host: string): boolean {
  return WILDCARD_HOSTS.has(host);
}

export function isLoopbackHost(host: string): boolean {
  return ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host.toLowerCase());
}

/** How a host name or address appears in a Host header: IPv6 addresses in brackets. */
function hostForm(name: string): string {
  const lower = name.toLowerCase();
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
}

/** This machine's names and addresses, which a server listening on every interface answers to. */
function machineNames(): string[] {
  const names = [hostname()];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) names.push(a.address);
  }
  return names;
}

/**
 * Every Host header value the server accepts: the listen host, localhost, 127.0.0.1 and [::1], each
 * with the port (and also without it on port 80, where browsers leave it out). Listening on every
 * interface (0.0.0.0, ::), the machine's own names and addresses are accepted too.
 */
export function allowedHosts(listenHost: string, port: number): Set<string> {
  const names = ['localhost', '127.0.0.1', '::1', listenHost];
  if (isWildcardHost(listenHost)) names.push(...machineNames());
  const allowed = new Set<string>();
  for (const name of names) {
    allowed.add(`${hostForm(name)}:${port}`);
    if (port === 80) allowed.add(hostForm(name));
  }
  return allowed;
}

export type AccessCheck = { ok: true } | { ok: false; status: 403; reason: string };

/** The Host and Origin checks (the token is checked separately, on API routes only). */
export function checkHostAndOrigin(
  headers: { host?: string | undefined; origin?: string | undefined },
  allowed: ReadonlySet<string>,
): AccessCheck {
  const host = headers.host?.toLowerCase();
  if (host === undefined || !allowed.has(host)) {
    return {
      ok: false,
      status: 403,
      reason: `unexpected Host header ${JSON.stringify(headers.host ?? null)}`,
    };
  }
  const origin = headers.origin;
  if (origin !== undefined) {
    const own = [...allowed].some((h) => origin.toLowerCase() === `http://${h}`);
    if (!own) return { ok: false, status: 403, reason: `foreign Origin ${JSON.stringify(origin)}` };
  }
  return { ok: true };
}
