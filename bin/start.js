#!/usr/bin/env node
// `npm start`: the NormLab desktop app. Builds first when the bundle (out/) is missing or older than
// the sources, then runs Electron on it. Electron 42+ no longer downloads its binary at `npm install`,
// so a first start downloads it (Electron's own installer). Where no binary can be had (offline, a
// headless server), it says so in one line and starts `normlab serve` instead, which prints the URL.
// Arguments after `npm start --` go to Electron, or to `normlab serve` (e.g. --port 8000 --no-open).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const BUNDLE = ['out/main/index.js', 'out/main/cli.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
const SOURCES = ['src', 'electron.vite.config.ts', 'package.json'];

function newestMtime(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function bundleIsStale() {
  const built = BUNDLE.map((f) => statSync(join(root, f), { throwIfNoEntry: false }));
  if (built.some((s) => !s)) return true;
  // Sources exist only in a checkout; an installed package has just the bundle.
  const oldest = Math.min(...built.map((s) => s.mtimeMs));
  return SOURCES.some((s) => newestMtime(join(root, s)) > oldest);
}

function build() {
  if (!bundleIsStale()) return;
  process.stdout.write('Building NormLab (electron-vite build)...\n');
  const vite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const result = spawnSync(process.execPath, [vite, 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('normlab: the build failed (see above); fix it and run npm start again.\n');
    process.exit(result.status ?? 1);
  }
}

/** The Electron executable, as electron's index.js finds it but without its implicit download. */
function electronBinary() {
  let dir;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = join(dir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  if (override) return { path: join(override, name ?? 'electron') };
  if (name === undefined) return { dir, reason: 'the Electron binary is not downloaded' };
  const binary = join(dir, 'dist', name);
  return existsSync(binary) ? { path: binary } : { dir, reason: `the Electron binary ${binary} is missing` };
}

/**
 * Electron's own installer (@electron/get), quiet, on one line that the caller ends; returns why it
 * failed, or null.
 */
function downloadElectron(dir) {
  process.stdout.write('The Electron binary is not downloaded yet: downloading it (first start)... ');
  const result = spawnSync(process.execPath, [join(dir, 'install.js')], {
    encoding: 'utf8',
    timeout: 15 * 60_000,
  });
  if (result.status === 0) {
    process.stdout.write('done.\n');
    return null;
  }
  const lines = `${result.stderr ?? ''}\n${result.error?.message ?? ''}`.split('\n');
  const reason = lines.find((l) => /error/i.test(l))?.trim() ?? `exit code ${result.status}`;
  return reason.slice(0, 160);
}

/** `normlab serve` in this process (Ctrl-C then reaches it once, not through a second process). */
async function serveInstead() {
  const cli = join(root, 'out', 'main', 'cli.js');
  const { main } = await import(pathToFileURL(cli).href);
  const code = await main(['serve', ...args]);
  process.stdout.write('', () => process.exit(code));
}

function runElectron(binary) {
  const env = { ...process.env };
  // Set by some tools to run Electron as plain Node; the app needs Electron.
  delete env['ELECTRON_RUN_AS_NODE'];
  const child = spawn(binary, [root, ...args], { cwd: root, env, stdio: 'inherit' });
  // Ctrl-C in the terminal reaches Electron directly (same process group), which asks before it
  // quits with runs active: this launcher only waits. A SIGTERM sent to it is passed on.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('error', (e) => {
    process.stdout.write(`Electron could not start (${e.message}): starting normlab serve instead.\n`);
    void serveInstead();
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const INSTEAD = 'starting normlab serve instead.';
build();
const found = electronBinary();
const headless = process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'];
if (found.path && !headless) {
  runElectron(found.path);
} else if (found.path) {
  process.stdout.write(`No display here (DISPLAY is not set) for the desktop window: ${INSTEAD}\n`);
  await serveInstead();
} else if (headless || !found.dir || process.env['ELECTRON_SKIP_BINARY_DOWNLOAD']) {
  process.stdout.write(`Electron is not available (${found.reason}): ${INSTEAD}\n`);
  await serveInstead();
} else {
  const failure = downloadElectron(found.dir);
  const now = failure === null ? electronBinary() : {};
  if (now.path) runElectron(now.path);
  else {
    process.stdout.write(`failed (${failure ?? 'no binary after the download'}): ${INSTEAD}\n`);
    await serveInstead();
  }
}
