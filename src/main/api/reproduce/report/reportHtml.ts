/**
 * The report as one self-contained HTML page: the metadata, a warning when planned runs are missing,
 * the claims at a glance, a section per claim with its figures, the figures no claim reads, every run,
 * and how the scale departs from the paper. CSS and SVG are inline; only the PNG/PDF/SVG copies are
 * linked (relative), so the folder can be moved or mailed as it is.
 */
import type { ReproResults } from '../../../../shared/reproduce';
import { claimAnchor, claimSection, figureHomes, figureHtml, verdictBadge } from './reportClaimHtml';
import { REPORT_CSS } from './reportCss';
import type { ReportFigure } from './reportFigures';
import { escapeHtml as e } from '../../../../shared/html';
import { formatSeconds } from './reportFormat';
import type { ReportMetadata } from './reportMetadata';
import type { ReportRun } from './reportRuns';

export interface ReportPage {
  results: ReproResults;
  metadata: ReportMetadata;
  runs: readonly ReportRun[];
  figures: readonly ReportFigure[];
}

const PAPER = 'Santurkar et al. 2018, “How Does Batch Normalization Help Optimization?”';

/** A planned run's state in words: `to-run` is "to run". */
const stateLabel = (state: string): string => state.replace(/-/g, ' ');

/** An ISO time as `2024-01-01 09:00:00 UTC`. */
const utcTime = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');

/** Configurations grouped by their seed list: `seeds 0, 1: 12 configurations`. */
function seedsSummary(seeds: ReportMetadata['seeds']): string {
  const groups = new Map<string, number>();
  for (const s of seeds) {
    const list = s.seeds.join(', ');
    groups.set(list, (groups.get(list) ?? 0) + 1);
  }
  return [...groups]
    .map(
      ([list, n]) =>
        `${list.includes(',') ? 'seeds' : 'seed'} ${list}: ${n} configuration${n === 1 ? '' : 's'}`,
    )
    .join('; ');
}

function metaList(m: ReportMetadata): string {
  const applied =
    m.reading.appliedTo.length === 0
      ? 'applies to no run'
      : `applies to ${m.reading.appliedTo.length} run${m.reading.appliedTo.length === 1 ? '' : 's'}: ${m.reading.appliedTo.join(', ')}`;
  const rows: [string, string][] = [
    ['Scale', `<code>${e(m.scale)}</code>`],
    [
      'Reading',
      `<code>${e(m.reading.name)}</code>: ${e(m.reading.description)} <span class="muted">(${e(applied)})</span>`,
    ],
    ['Figures', m.only === 'all' ? 'all' : `only <code>${e(m.only)}</code>`],
    [
      'Backends',
      m.backends.length > 0 ? e(m.backends.join(', ')) : '<span class="muted">no run trained yet</span>',
    ],
    [
      'Devices',
      m.devices.length > 0 ? e(m.devices.join(', ')) : '<span class="muted">no run trained yet</span>',
    ],
    ['Seeds', e(seedsSummary(m.seeds))],
    [
      'Training time',
      `${e(formatSeconds(m.trainingWallSec))} <span class="muted">(wall time summed over the runs)</span>`,
    ],
    [
      'Complete',
      m.complete
        ? 'yes: every planned run is done'
        : `<strong>no</strong>: ${m.missingRuns.length} planned run${m.missingRuns.length === 1 ? '' : 's'} not done`,
    ],
    ['Generated', `<time datetime="${e(m.generatedAt)}">${e(utcTime(m.generatedAt))}</time>`],
    [
      'NormLab',
      `${e(m.version)}${m.commit !== undefined ? ` (commit <code>${e(m.commit)}</code>)` : ''}, Node ${e(m.node)}`,
    ],
    ['Database', `<code>${e(m.dbPath)}</code>`],
    ['PNG resolution', `${m.dpi} dpi`],
  ];
  return `<dl class="meta">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('\n')}</dl>`;
}

function incompleteWarning(m: ReportMetadata): string {
  if (m.complete) return '';
  const items = m.missingRuns.map(
    (r) => `<li>${e(r.name)} <span class="muted">(${e(stateLabel(r.state))})</span></li>`,
  );
  return `<section class="warning" role="alert">
<h2>Incomplete: ${m.missingRuns.length} planned run${m.missingRuns.length === 1 ? ' is' : 's are'} not done</h2>
<p>The claims that read these runs are inconclusive until they finish; run the reproduction again to train them.</p>
<ul>${items.join('')}</ul>
</section>`;
}

function summaryTable(results: ReproResults): string {
  const rows = results.claims.map((c) => {
    const passed = c.numbers.filter((n) => n.pass).length;
    return `<tr>
<td><a href="#${claimAnchor(c.claim)}"><strong>${e(c.claim)}</strong></a><div class="muted small">${e(c.statement)}</div></td>
<td>${e(c.figures.join(', '))}</td>
<td>${verdictBadge(c.verdict)}</td>
<td class="num">${passed} of ${c.numbers.length}</td>
</tr>`;
  });
  const body =
    rows.length > 0
      ? rows.join('\n')
      : '<tr><td colspan="4" class="muted">No claim reads these figures.</td></tr>';
  return `<section id="claims"><h2>Claims</h2><div class="table-wrap"><table class="summary">
<thead><tr><th>Claim</th><th>Figures</th><th>Verdict</th><th class="num">Criteria passed</th></tr></thead>
<tbody>
${body}
</tbody></table></div></section>`;
}

function runState(r: ReportRun): string {
  const state = stateLabel(r.state);
  if (r.status === null) return state;
  const status = r.divergedAtStep !== null ? `${r.status} at step ${r.divergedAtStep}` : r.status;
  return `${state} · ${status}`;
}

function runsTable(runs: readonly ReportRun[]): string {
  const rows = runs.map(
    (r) => `<tr>
<td>${e(r.name)}</td>
<td class="mono">${r.id !== null ? e(r.id) : '—'}</td>
<td>${e(runState(r))}</td>
<td>${e(r.backend ?? '—')}</td>
<td>${e(r.device ?? '—')}${r.softwareDevice === true ? ' <span class="muted">(software)</span>' : ''}</td>
<td class="num">${r.seed}</td>
<td class="num">${r.lastStep ?? '—'} / ${r.steps}</td>
<td class="num">${r.wallSec !== null ? e(formatSeconds(r.wallSec)) : '—'}</td>
<td>${r.readingApplied ? 'yes' : 'no'}</td>
</tr>`,
  );
  return `<section id="runs"><h2>Runs</h2><div class="table-wrap"><table class="runs">
<thead><tr><th>Name</th><th>Id</th><th>State</th><th>Backend</th><th>Device</th><th class="num">Seed</th>
<th class="num">Steps</th><th class="num">Wall time</th><th>Reading applied</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div></section>`;
}

function otherFigures(figures: readonly ReportFigure[], home: ReadonlyMap<string, string>): string {
  const others = figures.filter((f) => !home.has(f.template));
  if (others.length === 0) return '';
  return `<section id="other-figures"><h2>Other figures</h2>
<p class="muted">Figures of the reproduction that no claim reads.</p>
<div class="other-figures">
${others.map(figureHtml).join('\n')}
</div></section>`;
}

export function reportHtml({ results, metadata, runs, figures }: ReportPage): string {
  const home = figureHomes(
    results.claims,
    figures.map((f) => f.template),
  );
  const title = `Reproduction at ${metadata.scale} scale, reading ${metadata.reading.name}`;
  const departures = results.plan.departures.map((d) => `<li>${e(d)}</li>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>NormLab: ${e(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main class="page">
<header class="report-head">
<h1>${e(title)}</h1>
<p class="subtitle">NormLab's reproduction of ${e(PAPER)}</p>
${metaList(metadata)}
</header>
${incompleteWarning(metadata)}
${summaryTable(results)}
${results.claims.map((c) => claimSection(c, figures, home)).join('\n')}
${otherFigures(figures, home)}
${runsTable(runs)}
<section id="departures"><h2>How this scale departs from the paper</h2>
<ul class="departures">
${departures}
</ul></section>
<footer>Written by NormLab ${e(metadata.version)} on ${e(utcTime(metadata.generatedAt))}. The plan, the runs and every number above are in <a href="results.json">results.json</a>.</footer>
</main>
</body>
</html>
`;
}
