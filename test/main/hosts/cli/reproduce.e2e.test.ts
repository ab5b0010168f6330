/**
 * `normlab reproduce` end to end at the smoke scale: every experiment of every figure trained for a
 * few steps on the real engine (wasm, the shared CIFAR-10), every claim checked, the report written.
 * It checks the report's structure: every claim has a verdict and finite numbers, every figure exists
 * in every format, the JSON and the page agree; then that a rerun trains nothing and writes the same
 * verdicts. The commands run in this process (cliInProcess.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlan } from '../../../../src/main/api/reproduce/plan';
import { CLAIMS } from '../../../../src/main/api/reproduce/claims';
import { FIGURE_TEMPLATES } from '../../../../src/shared/figureTemplates';
import { FIGURE_WIDTH_MM } from '../../../../src/shared/plots';
import { pngWidthPx } from '../../../../src/shared/printUnits';
import type { CliResult } from '../../../helpers/cli';
import { runCliInProcess } from '../../../helpers/cliInProcess';
import { SHARED_CIFAR10 } from '../../../helpers/repoPaths';
import { tempDirs } from '../../../helpers/tempDirs';
import { parseSvg, readPdf, readPng } from '../../api/figures/figureFiles';

const dirs = tempDirs('cli-reproduce');
let home = '';
let db = '';
let out = '';
let first: CliResult = { code: 0, signal: null, stdout: '', stderr: '' };

interface ResultsJson {
  claims: { claim: string; verdict: string; numbers: { name: string; value: number | null }[] }[];
  plan: { runs: { runId?: string; state: string }[]; templates: string[] };
  complete: boolean;
}

const SMOKE = ['reproduce', '--scale', 'smoke', '--backend', 'wasm', '--threads', '2'];

beforeAll(async () => {
  const dir = dirs.make();
  home = join(dir, 'home');
  db = join(dir, 'runs.sqlite');
  out = join(dir, 'report');
  first = await runCliInProcess([...SMOKE, '--data', SHARED_CIFAR10, '--db', db, '--out', out], home);
  if (first.code !== 0) throw new Error(`reproduce exited ${first.code}:\n${first.stderr}`);
}, 600_000);
afterAll(() => dirs.cleanup());

const readResults = (): ResultsJson =>
  JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsJson;

describe('normlab reproduce --scale smoke', () => {
  it('trains every planned run once and reports every claim with a verdict and finite numbers', () => {
    const results = readResults();
    const plan = buildPlan({ scale: 'smoke' });
    expect(results.complete).toBe(true);
    expect(results.plan.runs).toHaveLength(plan.runs.length);
    expect(results.plan.runs.every((r) => r.state === 'done' && r.runId)).toBe(true);
    expect(results.claims.map((c) => c.claim)).toEqual(CLAIMS.map((c) => c.id));
    for (const claim of results.claims) {
      expect(['supported', 'not supported']).toContain(claim.verdict);
      const spec = CLAIMS.find((c) => c.id === claim.claim);
      expect(claim.numbers.map((n) => n.name)).toEqual(spec?.criteria.map((c) => c.name));
      for (const n of claim.numbers) expect(Number.isFinite(n.value)).toBe(true);
      // The terminal prints the same verdict.
      expect(first.stdout).toContain(`${claim.claim}: ${claim.verdict.toUpperCase()}`);
    }
  });

  it('writes every figure template as SVG, PNG and PDF, and one page that shows them all', () => {
    const results = readResults();
    expect(results.plan.templates.sort()).toEqual(FIGURE_TEMPLATES.map((t) => t.name).sort());
    for (const name of results.plan.templates) {
      const base = join(out, 'figures', name);
      expect(parseSvg(readFileSync(`${base}.svg`, 'utf8')).name).toBe('svg');
      const png = readPng(readFileSync(`${base}.png`));
      expect(png.width).toBe(pngWidthPx(FIGURE_WIDTH_MM.twoColumn, 150));
      expect(png.inflatedBytes).toBe(png.height * (1 + png.width * png.bytesPerPixel));
      expect(readPdf(readFileSync(`${base}.pdf`)).mediaBoxes).toHaveLength(1);
    }
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html.match(/<svg[\s>]/g)?.length ?? 0).toBeGreaterThanOrEqual(results.plan.templates.length);
    for (const claim of results.claims) expect(html).toContain(claim.claim);
    expect(html).toMatch(/smoke/);
    expect(first.stdout).toContain(`report: ${join(out, 'index.html')}`);
  });

  it('a rerun (backend auto) trains nothing, reuses every run and writes the same verdicts', async () => {
    const before = readResults();
    const mtime = statSync(join(out, 'results.json')).mtimeMs;
    // Without --backend: auto is settled from the backends' reports before any run starts.
    const again = await runCliInProcess(
      ['reproduce', '--scale', 'smoke', '--data', SHARED_CIFAR10, '--db', db, '--out', out],
      home,
    );
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/reusing \d+ finished runs/);
    expect(again.stderr).not.toMatch(/run \d+ of/);
    const after = readResults();
    expect(statSync(join(out, 'results.json')).mtimeMs).toBeGreaterThan(mtime);
    expect(after.claims).toEqual(before.claims);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  }, 120_000);
});
