#!/usr/bin/env node
// The `normlab` command: runs the bundled CLI host (out/main/cli.js, built by `npm run build`,
// which `npm install` runs through the prepare script).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `normlab needs Node.js >= 22.12 (this is ${process.versions.node}). Run it through npm ` +
      "(npx normlab / npm run normlab), which uses the project's own Node 22, or install Node 22.\n",
  );
  process.exit(2);
}
const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write(
    `normlab is not built (${cli} is missing): run "npm run build" in the project folder.\n`,
  );
  process.exit(2);
}
const { main } = await import(cli);
const code = await main(process.argv.slice(2));
// Worker threads and native backends may hold handles open; the command is done.
process.stdout.write('', () => process.exit(code));
