/**
 * The report page from hand-made results: each number as the page writes it, the verdict badges, a
 * figure read by two claims inlined once, a figure no claim reads under "Other figures", and the page
 * needing no other file.
 */
import { describe, expect, it } from 'vitest';
import type { ReportFigure } from '../../../../../src/main/api/reproduce/report/reportFigures';
import { reportHtml, type ReportPage } from '../../../../../src/main/api/reproduce/report/reportHtml';
import type { ReportMetadata } from '../../../../../src/main/api/reproduce/report/reportMetadata';
import type { ReportRun } from '../../../../../src/main/api/reproduce/report/reportRuns';
import { reproResultsSchema, type ClaimResultInfo } from '../../../../../src/shared/reproduce';

const CLAIMS: ClaimResultInfo[] = [
  {
    claim: 'claim-a',
    figures: ['figA', 'figB'],
    statement: 'BN helps <a lot>.',
    verdict: 'supported',
    numbers: [
      { name: 'ratio "r"', description: 'a & b', value: 0.123456, threshold: 0.2, compare: '<=', pass: true },
      { name: 'big', description: 'large', value: 123_456, threshold: 1000, compare: '>=', pass: true },
    ],
    seeds: { 'figA/x': 2 },
    missing: [],
    note: 'At CPU scale <expect> less.',
  },
  {
    claim: 'claim-b',
    figures: ['figA'],
    statement: 'Something else.',
    verdict: 'inconclusive',
    numbers: [{ name: 'gone', description: '', value: null, threshold: 3, compare: '>=', pass: false }],
    seeds: { 'figA/y': 0 },
    missing: ['figA/y: no runs'],
  },
  {
    claim: 'claim-c',
    figures: ['figZ'],
    statement: 'A third.',
    verdict: 'not supported',
    numbers: [{ name: 'two', description: '', value: 2, threshold: 1, compare: '<=', pass: false }],
    seeds: {},
    missing: [],
  },
];

function run(name: string, stored: boolean): ReportRun {
  return {
    key: `k-${name}`,
    plannedName: name,
    state: stored ? 'done' : 'to-run',
    uses: ['figA/x'],
    steps: 100,
    readingApplied: false,
    seed: 0,
    id: stored ? 'abcd1234' : null,
    name,
    status: stored ? 'completed' : null,
    backend: stored ? 'wasm' : null,
    device: stored ? 'CPU' : null,
    softwareDevice: stored ? false : null,
    lastStep: stored ? 100 : null,
    divergedAtStep: null,
    wallSec: stored ? 61 : null,
  };
}

const figure = (template: string): ReportFigure => ({
  template,
  title: `Title of ${template}`,
  description: `About ${template}`,
  files: { png: `figures/${template}.png`, pdf: `figures/${template}.pdf`, svg: `figures/${template}.svg` },
  slots: {},
  svg: `<svg xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="c0"/></defs><path clip-path="url(#c0)"/></svg>`,
});

function page(complete: boolean): ReportPage {
  const runs = [run('<b>mine</b>', true), run('later seed 0', complete)];
  const results = reproResultsSchema.parse({
    plan: {
      scale: 'quick',
      reading: 'spec',
      only: null,
      tag: 'repro:quick:spec',
      templates: ['figA', 'figB', 'figC'],
      claims: CLAIMS.map((c) => c.claim),
      departures: ['shorter <runs>'],
      runs: [],
      total: { scale: 'quick', runs: 2, toTrain: 0, knownSec: 0, unknownRuns: 0, totalSec: 0 },
      otherScales: [],
    },
    runsBySlot: {},
    claims: CLAIMS,
    complete,
  });
  const metadata: ReportMetadata = {
    scale: 'quick',
    reading: { name: 'spec', description: 'as written', appliedTo: [] },
    only: 'all',
    backends: ['wasm'],
    devices: ['CPU'],
    seeds: [{ configuration: 'figA/x', seeds: [0, 1] }],
    trainingWallSec: 61,
    generatedAt: '2024-01-01T09:00:00.000Z',
    version: '9.9.9',
    node: '22.0.0',
    dbPath: '/data/normlab.sqlite',
    dpi: 150,
    complete,
    missingRuns: complete ? [] : [{ name: 'later seed 0', state: 'to-run' }],
  };
  return { results, metadata, runs, figures: ['figA', 'figB', 'figC'].map(figure) };
}

function section(html: string, claim: string): string {
  const start = html.indexOf(`id="claim-${claim}"`);
  return html.slice(start, html.indexOf('</section>', start));
}

describe('the report page', () => {
  const html = reportHtml(page(true));

  it('writes every value and threshold with three significant digits, a missing value as n/a', () => {
    const a = section(html, 'claim-a');
    expect(a).toContain('<td class="num">0.123</td>');
    expect(a).toContain('<td class="num">≤ 0.200</td>');
    expect(a).toContain('<td class="num">1.23e+5</td>');
    expect(a).toContain('<td class="num">≥ 1000</td>');
    expect(a.match(/<span class="pass">pass<\/span>/g)).toHaveLength(2);
    const b = section(html, 'claim-b');
    expect(b).toContain('<td class="num">n/a</td>');
    expect(b).toContain('<span class="nodata">n/a</span>');
    const c = section(html, 'claim-c');
    expect(c).toContain('<td class="num">2.00</td>');
    expect(c).toContain('<span class="fail">fail</span>');
  });

  it('badges each verdict with a sign and a word, in the summary and in its section', () => {
    for (const [claim, badge] of [
      ['claim-a', '✓ supported'],
      ['claim-b', '? inconclusive'],
      ['claim-c', '✗ not supported'],
    ] as const) {
      expect(section(html, claim)).toContain(badge);
      const summary = html.slice(html.indexOf('<section id="claims">'), html.indexOf('</section>'));
      expect(summary).toContain(`href="#claim-${claim}"`);
      expect(summary).toContain(badge);
    }
    expect(html).toContain('class="verdict verdict-not-supported"');
  });

  it('says what was missing, the note and the runs read per slot, all escaped', () => {
    const a = section(html, 'claim-a');
    expect(a).toContain('BN helps &lt;a lot&gt;.');
    expect(a).toContain('ratio &quot;r&quot;');
    expect(a).toContain('At CPU scale &lt;expect&gt; less.');
    expect(a).toContain('<code>figA/x</code>: 2 runs');
    const b = section(html, 'claim-b');
    expect(b).toContain('<li>figA/y: no runs</li>');
    expect(b).toContain('<li class="none"><code>figA/y</code>: 0 runs</li>');
    expect(section(html, 'claim-c')).toContain('No figure of this claim is part of this reproduction.');
  });

  it('inlines a figure once, under the first claim reading it, and links to it from the others', () => {
    expect(html.match(/<svg role="img"/g)).toHaveLength(3);
    const a = section(html, 'claim-a');
    expect(a).toContain('id="figure-figA"');
    expect(a).toContain('id="figure-figB"');
    expect(a).toContain('clip-path="url(#figA-c0)"');
    const b = section(html, 'claim-b');
    expect(b).not.toContain('<svg');
    expect(b).toContain('<a href="#figure-figA">Title of figA</a> is shown under <a href="#claim-claim-a">');
    const others = html.slice(html.indexOf('<section id="other-figures">'));
    expect(others).toContain('id="figure-figC"');
    expect(others.slice(0, others.indexOf('</section>'))).not.toContain('figure-figA');
  });

  it('needs no other file: style and figures inline, only the figure copies and results.json linked', () => {
    expect(html).not.toMatch(/<link\b|<script\b|\ssrc=|@import|url\((?!#)/i);
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1] as string);
    for (const href of hrefs) expect(href).toMatch(/^(#|figures\/|results\.json$)/);
  });

  it('lists the runs, a run not stored yet with dashes, and the departures, escaped', () => {
    const runs = html.slice(html.indexOf('<section id="runs">'), html.indexOf('<section id="departures">'));
    expect(runs).toContain('<td>&lt;b&gt;mine&lt;/b&gt;</td>');
    expect(runs).toContain('<td>done · completed</td>');
    expect(runs).toContain('<td class="num">1 min 01 s</td>');
    expect(runs).toContain('<td class="num">100 / 100</td>');
    expect(html).toContain('<li>shorter &lt;runs&gt;</li>');
    expect(html).not.toContain('role="alert"');
  });

  it('heads the page with the metadata', () => {
    const head = html.slice(0, html.indexOf('</header>'));
    for (const text of [
      '<code>quick</code>',
      'as written',
      'seeds 0, 1: 1 configuration',
      '1 min 01 s',
      '2024-01-01 09:00:00 UTC',
      '9.9.9',
      'Node 22.0.0',
      '/data/normlab.sqlite',
      '150 dpi',
      'yes: every planned run is done',
    ]) {
      expect(head).toContain(text);
    }
    expect(head).not.toContain('commit');
  });

  it('warns at the top, naming the runs not done, when the reproduction is incomplete', () => {
    const incomplete = reportHtml(page(false));
    const warning = incomplete.slice(incomplete.indexOf('<section class="warning"'));
    expect(warning.slice(0, warning.indexOf('</section>'))).toContain('later seed 0');
    expect(incomplete.indexOf('class="warning"')).toBeLessThan(incomplete.indexOf('<section id="claims">'));
    expect(incomplete).toContain('<strong>no</strong>: 1 planned run not done');
  });
});
