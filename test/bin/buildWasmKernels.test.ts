/**
 * bin/build-wasm-kernels.mjs: the committed NAMEWasm.ts modules are what their C sources build to
 * (CI installs clang and lld, so a kernel edited without a rebuild fails here), and the build refuses
 * sources that would write into tfjs's heap behind its back.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = join(__dirname, '..', '..', 'bin', 'build-wasm-kernels.mjs');
const NATIVE = join(__dirname, '..', '..', 'src', 'main', 'engine', 'backends', 'wasm', 'native');

function build(...args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function sources(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'normlab-wasm-src-'));
  writeFileSync(join(dir, 'normlab.h'), readFileSync(join(NATIVE, 'normlab.h')));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('build-wasm-kernels', () => {
  it('the committed modules are what the C sources build to', () => {
    const r = build('--check');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('writes a module with both builds, importing memory, for a kernel that follows the rules', () => {
    const src = sources({
      'twice.c':
        '#include "normlab.h"\nNL_EXPORT(twice)(int t, int n, float* x, int len) {\n  for (int i = nl_share_begin(len, t, n); i < nl_share_begin(len, t + 1, n); i++) x[i] *= 2.0f;\n}\n',
    });
    expect(build(`--src=${src}`).status).toBe(0);
    const out = readFileSync(join(src, 'twiceWasm.ts'), 'utf8');
    expect(out).toMatch(/export const twiceWasm = \{\n {2}name: 'twice',\n {2}single:/);
    expect(out).toMatch(/threaded:/);
  });

  it('refuses static data and the shadow stack, saying why', () => {
    const data = sources({
      'table.c':
        '#include "normlab.h"\nstatic float k[4] = {1, 2, 3, 4};\nNL_EXPORT(f)(int t, int n, float* x, int i) { x[0] = k[i & 3]; }\n',
    });
    const r1 = build(`--src=${data}`);
    expect(r1.status).toBe(2);
    expect(r1.stderr).toMatch(/data segment/);
    rmSync(data, { recursive: true, force: true });
    const stack = sources({
      'spill.c':
        '#include "normlab.h"\nNL_EXPORT(f)(int t, int n, float* x, int i) { volatile float a[64]; for (int j = 0; j < 64; j++) a[j] = x[j]; x[0] = a[i & 63]; }\n',
    });
    const r2 = build(`--src=${stack}`);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/uses a global/);
  });
});
