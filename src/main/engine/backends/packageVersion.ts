import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/** The installed version of an npm package, or 'not installed' when it cannot be resolved. */
export function packageVersion(name: string): string {
  try {
    const manifest: unknown = JSON.parse(readFileSync(requireHere.resolve(`${name}/package.json`), 'utf8'));
    const version = (manifest as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'not installed';
  }
}
