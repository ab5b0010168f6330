#!/usr/bin/env node
// `npm run bench`: the bundled benchmark host (out/main/bench.js, built by `npm run build`).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'main', 'bench.js');
if (!existsSync(entry)) {
  process.stderr.write(`the benchmark is not built (${entry} is missing): run "npm run build" first.\n`);
  process.exit(2);
}
const { benchMain } = await import(entry);
let code = 1;
try {
  code = await benchMain(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
}
process.stdout.write('', () => process.exit(code));
