/**
 * `reproduce.report` when things are not as they should be (reportService.ts): a planned run missing,
 * a run named like HTML, a slot without runs, a folder that cannot be written, an earlier report in
 * the folder; and where a report goes by default.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportDir } from '../../../../../src/main/api/reproduce/report/writeReport';
import { must } from '../../../../helpers/defined';
import { tempDirs } from '../../../../helpers/tempDirs';
import { userErrorFrom } from '../../../../helpers/userError';
import { claimSection, openWithRuns, readText, withRuns, writeReport, type Opened } from './reportService';

const dirs = tempDirs('repro-report-problems');
afterAll(() => dirs.cleanup());

describe('a report with a run missing and a run named like HTML', () => {
  const NAME = '<script>alert("x")</script> & co';
  let o: Opened;
  beforeAll(() => {
    o = openWithRuns(
      dirs,
      { scale: 'smoke', only: 'fig4' },
      {
        skip: (r) => r.name.startsWith('fig4/bn'),
        nameOf: (r) => (r.name.startsWith('fig4/plain') ? NAME : r.name),
      },
    );
  });
  afterAll(() => o.h.close());

  it('warns that the run is missing and its claim inconclusive, and escapes the name', async () => {
    const report = await writeReport(o, 'r', '4');
    expect(report.complete).toBe(false);
    expect(report.claims).toEqual([{ claim: 'fig4-landscape', verdict: 'inconclusive' }]);
    const html = readText(report.dir, 'index.html');
    const warning = must(
      /<section class="warning" role="alert">[\s\S]*?<\/section>/.exec(html) ?? undefined,
    )[0];
    expect(warning).toContain('fig4/bn seed 0');
    expect(warning).toMatch(/inconclusive/);
    expect(html.indexOf('role="alert"')).toBeLessThan(html.indexOf('<section id="claims">'));
    expect(claimSection(html, 'fig4-landscape')).toContain('fig4/bn: no runs');

    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    const json = JSON.parse(readText(report.dir, 'results.json'));
    expect(json.runs.map((r: { name: string }) => r.name)).toContain(NAME);
    expect(json.metadata.only).toBe('fig4');
  });

  it("fills an empty slot with nothing, never with another run of the slot's name", async () => {
    const report = await writeReport(o, 'f', 'fig4');
    const svg = readText(report.dir, 'figures/fig4.svg');
    const fixtureBn = must(o.runs.fixture['fig4-cpu/bn']);
    expect(fixtureBn.length).toBeGreaterThan(0);
    for (const id of fixtureBn) expect(svg).not.toContain(id);
    expect(svg).toContain('no runs');
    const [plainId] = [...o.runs.ids.values()];
    expect(svg).toContain(must(plainId));
  });
});

describe('where the report goes', () => {
  it('defaults to <data dir>/reports/repro-<scale>-<reading>[-<figure>]', () => {
    expect(reportDir('/d', { scale: 'cpu' })).toBe(join('/d', 'reports', 'repro-cpu-spec'));
    expect(reportDir('/d', { scale: 'quick', reading: 'dln-mean-loss', only: '4' })).toBe(
      join('/d', 'reports', 'repro-quick-dln-mean-loss-fig4'),
    );
    expect(reportDir('/d', { scale: 'paper', only: 'Fig3A' })).toBe(
      join('/d', 'reports', 'repro-paper-spec-fig3a'),
    );
  });

  it('refuses a path that is a file, or under one, naming it, and touches nothing', async () => {
    await withRuns(dirs, { scale: 'smoke', only: 'fig4' }, async (o) => {
      const file = join(o.base, 'taken');
      writeFileSync(file, 'mine');
      const before = await o.h.call('runs.list', {});
      const files = readdirSync(o.base).sort();
      for (const sub of ['taken', join('taken', 'report')]) {
        const err = await userErrorFrom(writeReport(o, sub, 'fig4'));
        expect(err.code).toBe('io');
        expect(err.message).toContain(join(o.base, sub));
        expect(err.message).toMatch(/not a folder.*Choose another folder/);
      }
      expect(readFileSync(file, 'utf8')).toBe('mine');
      expect(readdirSync(o.base).sort()).toEqual(files);
      expect(await o.h.call('runs.list', {})).toEqual(before);
    });
  });

  it('writes into an existing report folder again, replacing its files, leaving no temporary file', async () => {
    await withRuns(dirs, { scale: 'smoke', only: 'fig9' }, async (o) => {
      const first = await writeReport(o, 'again', 'fig9');
      writeFileSync(join(first.dir, 'index.html'), 'stale');
      const second = await writeReport(o, 'again', 'fig9');
      expect(second.files).toEqual(first.files);
      expect(readText(second.dir, 'index.html')).toMatch(/^<!doctype html>/);
      const all = [...readdirSync(second.dir), ...readdirSync(join(second.dir, 'figures'))];
      expect(all.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });
  });
});
