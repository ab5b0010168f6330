/**
 * The report page's style sheet, inlined so the page needs no other file. Light, at most ~75rem wide;
 * a claim's text and its figures side by side on a wide screen, stacked on a narrow one and in print.
 * Verdicts read without colour too (a sign and a word), and keep their colours when printed.
 */
export const REPORT_CSS = `
:root {
  --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --link: #0550ae;
  --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9; --unk: #7d4e00; --unk-bg: #fff8c5;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
.page { max-width: 75rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 .25rem; letter-spacing: -.01em; }
h2 { font-size: 1.3rem; line-height: 1.3; margin: 0 0 .75rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 .5rem; }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; }
.muted { color: var(--muted); }
.small { font-size: .875rem; }
section { margin-top: 2.5rem; }
.report-head { border-bottom: 2px solid var(--ink); padding-bottom: 1rem; }
.subtitle { margin: 0 0 1rem; color: var(--muted); font-size: 1.05rem; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.25rem; margin: 0; }
.meta dt { font-weight: 600; color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.warning {
  margin-top: 1.5rem; padding: 1rem 1.25rem; border: 1px solid #d4a72c; border-left: 6px solid #bf8700;
  background: var(--unk-bg); border-radius: 6px;
}
.warning h2 { font-size: 1.1rem; margin-bottom: .4rem; }
.warning ul { margin: .4rem 0 0; padding-left: 1.25rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .45rem .6rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--soft); border-bottom: 1px solid #afb8c1; font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.table-wrap { overflow-x: auto; }
.verdict {
  display: inline-block; padding: .1rem .6rem; border-radius: 999px; border: 1px solid currentColor;
  font-size: .82rem; font-weight: 650; white-space: nowrap; vertical-align: middle;
  -webkit-print-color-adjust: exact; print-color-adjust: exact;
}
.verdict-supported { color: var(--ok); background: var(--ok-bg); }
.verdict-not-supported { color: var(--bad); background: var(--bad-bg); }
.verdict-inconclusive { color: var(--unk); background: var(--unk-bg); }
.pass { color: var(--ok); font-weight: 600; }
.fail { color: var(--bad); font-weight: 600; }
.nodata { color: var(--unk); font-weight: 600; }
.claim { border-top: 1px solid var(--line); padding-top: 1.5rem; }
.claim-head { display: flex; align-items: center; gap: .75rem; flex-wrap: wrap; margin-bottom: .75rem; }
.claim-head h2 { margin: 0; }
.claim-body { display: grid; grid-template-columns: minmax(0, 5fr) minmax(0, 6fr); gap: 1.5rem 2rem; }
.statement {
  margin: 0 0 1rem; padding: .6rem 1rem; border-left: 4px solid var(--line); background: var(--soft);
  font-style: italic;
}
.criterion-name { font-weight: 600; }
.criterion-desc { color: var(--muted); font-size: .82rem; margin-top: .15rem; }
.note { margin: 1rem 0 0; padding: .5rem .8rem; background: var(--soft); border-radius: 6px; font-size: .9rem; }
.missing { margin: .25rem 0 0; padding-left: 1.25rem; color: var(--unk); }
.seeds { margin: .25rem 0 0; padding-left: 1.25rem; font-size: .9rem; columns: 2 12rem; column-gap: 1.5rem; }
.seeds li.none { color: var(--unk); font-weight: 600; }
.fig { margin: 0 0 1.5rem; }
.fig-title { font-weight: 600; margin: 0 0 .2rem; }
.fig-desc { margin: 0 0 .5rem; color: var(--muted); font-size: .85rem; }
.fig-svg { border: 1px solid var(--line); border-radius: 4px; background: #fff; }
.fig-svg svg { display: block; width: 100%; height: auto; }
.fig-links { margin: .35rem 0 0; font-size: .85rem; }
.other-figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(30rem, 1fr)); gap: 1.5rem 2rem; }
.departures li { margin-bottom: .3rem; }
footer { margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .85rem; }
@media (max-width: 60rem) {
  .claim-body { grid-template-columns: minmax(0, 1fr); }
  .other-figures { grid-template-columns: minmax(0, 1fr); }
}
@media print {
  body { font-size: 10pt; }
  .page { max-width: none; padding: 0; }
  a { color: inherit; }
  .claim-body, .other-figures { grid-template-columns: minmax(0, 1fr); }
  .claim { break-before: page; }
  .fig, tr, .warning { break-inside: avoid; }
  thead { display: table-header-group; }
}
`;
