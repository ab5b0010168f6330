/**
 * The Content-Security-Policy of NormLab's page, in the Electron window and in the browser (serve).
 * The page runs only its own bundled scripts: no inline script, no eval, no remote code, no frames,
 * no plugins. Styles allow 'unsafe-inline' because ECharts writes `style="..."` attributes into its
 * tooltip HTML and Vue's transitions set them; styles cannot run code. Images allow data: and blob:
 * for ECharts' "save as image" and canvas exports.
 */

export interface CspOptions {
  /** Extra sources for connect-src: serve's own ws:// origin, the dev server's HMR socket. */
  connect?: string[];
  /** Extra sources for script-src (the Vite dev server in development). */
  scripts?: string[];
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const directives: [string, string[]][] = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'", ...(options.scripts ?? [])]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', ["'self'", ...(options.connect ?? [])]],
    ['worker-src', ["'self'", 'blob:']],
    ['manifest-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}
