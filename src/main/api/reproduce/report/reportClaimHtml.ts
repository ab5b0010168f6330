/**
 * The report's claim sections: the paper's statement, the verdict, each criterion with its value,
 * comparison and threshold, what was missing, the note on CPU scale, the runs read per slot, and
 * beside it the figures the claim reads, inline. A figure is inlined once, under the first claim that
 * reads it; a later claim links to it.
 */
import type { ClaimResultInfo } from '../../../../shared/reproduce';
import { inlineSvg } from './inlineSvg';
import type { ReportFigure } from './reportFigures';
import { comparisonSign, formatClaimNumber as formatNumber } from '../../../../shared/claimNumbers';
import { escapeHtml as e } from '../../../../shared/html';

type Verdict = ClaimResultInfo['verdict'];

const VERDICT_SIGN: Readonly<Record<Verdict, string>> = {
  supported: '✓',
  'not supported': '✗',
  inconclusive: '?',
};

export function verdictBadge(verdict: Verdict): string {
  const cls = `verdict verdict-${verdict.replace(/\s+/g, '-')}`;
  return `<span class="${cls}">${VERDICT_SIGN[verdict]} ${e(verdict)}</span>`;
}

export const claimAnchor = (claim: string): string => `claim-${claim.replace(/[^A-Za-z0-9_-]/g, '-')}`;
export const figureAnchor = (template: string): string =>
  `figure-${template.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** A figure: its title and description, the inline SVG, and links to its files. */
export function figureHtml(figure: ReportFigure): string {
  const links = (['png', 'pdf', 'svg'] as const)
    .map((f) => `<a href="${e(figure.files[f])}">${f.toUpperCase()}</a>`)
    .join(' · ');
  return `<figure class="fig" id="${figureAnchor(figure.template)}">
<p class="fig-title">${e(figure.title)}</p>
<p class="fig-desc">${e(figure.description)}</p>
<div class="fig-svg">${inlineSvg(figure.svg, figure.template, figure.title)}</div>
<p class="fig-links">${links}</p>
</figure>`;
}

function resultCell(n: ClaimResultInfo['numbers'][number]): string {
  if (n.value === null) return '<span class="nodata">n/a</span>';
  return n.pass ? '<span class="pass">pass</span>' : '<span class="fail">fail</span>';
}

function criteriaTable(claim: ClaimResultInfo): string {
  const rows = claim.numbers.map(
    (n) => `<tr>
<td><div class="criterion-name">${e(n.name)}</div><div class="criterion-desc">${e(n.description)}</div></td>
<td class="num">${formatNumber(n.value)}</td>
<td class="num">${comparisonSign(n.compare)} ${formatNumber(n.threshold)}</td>
<td>${resultCell(n)}</td>
</tr>`,
  );
  return `<div class="table-wrap"><table class="criteria">
<thead><tr><th>Criterion</th><th class="num">Value</th><th class="num">Needed</th><th>Result</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

function seedsList(claim: ClaimResultInfo): string {
  const items = Object.entries(claim.seeds).map(
    ([slot, n]) =>
      `<li${n === 0 ? ' class="none"' : ''}><code>${e(slot)}</code>: ${n} ${n === 1 ? 'run' : 'runs'}</li>`,
  );
  return items.length > 0 ? `<h3>Runs read per slot</h3><ul class="seeds">${items.join('')}</ul>` : '';
}

function missingList(claim: ClaimResultInfo): string {
  if (claim.missing.length === 0) return '';
  const items = claim.missing.map((m) => `<li>${e(m)}</li>`).join('');
  return `<h3>Missing</h3><ul class="missing">${items}</ul>`;
}

/** Which templates are inlined under which claim: each under the first claim that reads it. */
export function figureHomes(
  claims: readonly ClaimResultInfo[],
  templates: readonly string[],
): Map<string, string> {
  const home = new Map<string, string>();
  for (const claim of claims) {
    for (const t of claim.figures) if (templates.includes(t) && !home.has(t)) home.set(t, claim.claim);
  }
  return home;
}

export function claimSection(
  claim: ClaimResultInfo,
  figures: readonly ReportFigure[],
  home: ReadonlyMap<string, string>,
): string {
  const read = claim.figures.flatMap((t) => figures.filter((f) => f.template === t));
  const shown = read.map((f) =>
    home.get(f.template) === claim.claim
      ? figureHtml(f)
      : `<p class="fig-ref"><a href="#${figureAnchor(f.template)}">${e(f.title)}</a> is shown under ` +
        `<a href="#${claimAnchor(home.get(f.template) ?? '')}">${e(home.get(f.template) ?? '')}</a>.</p>`,
  );
  const note = claim.note !== undefined ? `<p class="note"><strong>Note.</strong> ${e(claim.note)}</p>` : '';
  return `<section class="claim" id="${claimAnchor(claim.claim)}">
<div class="claim-head"><h2>${e(claim.claim)}</h2>${verdictBadge(claim.verdict)}</div>
<div class="claim-body">
<div class="claim-text">
<blockquote class="statement">${e(claim.statement)}</blockquote>
${criteriaTable(claim)}
${missingList(claim)}
${note}
${seedsList(claim)}
</div>
<div class="claim-figures">
${shown.length > 0 ? shown.join('\n') : '<p class="muted">No figure of this claim is part of this reproduction.</p>'}
</div>
</div>
</section>`;
}
