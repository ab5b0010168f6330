/**
 * The folder holding tfjs-backend-wasm's .wasm binaries, resolved through Node's module resolution
 * from this file: it works from src (tsx, vitest) and from a bundled out/main/*.js alike, since
 * node_modules stays external to the bundle.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function wasmBinaryFolder(): string {
  const requireHere = createRequire(import.meta.url);
  // The package's main entry (dist/tf-backend-wasm.node.js) sits next to the binaries.
  return join(dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm')), '/');
}
