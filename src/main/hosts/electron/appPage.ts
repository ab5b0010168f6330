/**
 * Which page the desktop window shows and what it may do: the bundled renderer (file://) or, with
 * `electron-vite dev`, the Vite dev server. Free of `electron` imports so that the rules are tested
 * under plain Node.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from '../contentSecurityPolicy';

export interface AppPage {
  /** What the window loads. */
  url: string;
  /** The dev server's origin, when there is one. */
  devOrigin: string | null;
  /** The renderer's index.html on disk (production). */
  indexFile: string;
}

export function appPage(indexFile: string, devUrl: string | undefined): AppPage {
  return devUrl
    ? { url: devUrl, devOrigin: new URL(devUrl).origin, indexFile }
    : { url: pathToFileURL(indexFile).href, devOrigin: null, indexFile };
}

/**
 * Whether a frame's URL is NormLab's own page: the bundled index.html (any #route or ?query), or
 * any page of the dev server. Everything else (a page navigated elsewhere, an iframe) is refused
 * the API.
 */
export function isAppPageUrl(page: AppPage, url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (page.devOrigin !== null) return parsed.origin === page.devOrigin;
  if (parsed.protocol !== 'file:') return false;
  parsed.hash = '';
  parsed.search = '';
  return fileURLToPath(parsed) === fileURLToPath(pathToFileURL(page.indexFile));
}

/** A link the user may open in the default browser: https only (the app itself never navigates). */
export function externalLink(url: string): string | null {
  try {
    return new URL(url).protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/** The page's CSP: the dev server also needs its HMR WebSocket. */
export function appContentSecurityPolicy(page: AppPage): string {
  if (page.devOrigin === null) return contentSecurityPolicy();
  const ws = page.devOrigin.replace(/^http/, 'ws');
  return contentSecurityPolicy({ connect: [page.devOrigin, ws] });
}

/** Response headers with the app's CSP in place of any the server sent (any letter case). */
export function withCspHeader(
  headers: Record<string, string[] | string> | undefined,
  csp: string,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [csp];
  return out;
}
