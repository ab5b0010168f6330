/**
 * `normlab reproduce`'s report on disk: a folder holding every figure of the reproduction as SVG, PNG
 * and PDF (figures/), results.json with everything the page shows and more (the results, the
 * metadata, every run), and index.html, one self-contained page to read it all. Files of an earlier
 * report in the folder are replaced, each atomically; the database is only read.
 */
import { join } from 'node:path';
import type { ReproReport, ReproResults, ReproScale } from '../../../../shared/reproduce';
import type { ServiceContext } from '../../serviceContext';
import { exportReportFigures, FIGURES_DIR, type ReportFigure } from './reportFigures';
import { prepareReportDir, writeReportFile } from './reportFiles';
import { reportHtml } from './reportHtml';
import { figureOf, reportMetadata, type ReportMetadata } from './reportMetadata';
import { reportRuns, type ReportRun } from './reportRuns';

export const REPORT_INDEX = 'index.html';
export const REPORT_JSON = 'results.json';

/** Only these characters in the folder's name (the reading and figure are the user's words). */
function namePart(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
}

/** `<dataDir>/reports/repro-<scale>-<reading>[-<figure>]`, e.g. `repro-cpu-spec-fig4`. */
export function reportDir(
  dataDir: string,
  options: { scale: ReproScale; only?: string | undefined; reading?: string | undefined },
): string {
  const parts = ['repro', options.scale, options.reading ?? 'spec'];
  if (options.only !== undefined) parts.push(figureOf(options.only));
  return join(dataDir, 'reports', parts.map(namePart).join('-'));
}

/** results.json: the results as the API returns them, with the report's metadata, runs and figures. */
function resultsJson(
  results: ReproResults,
  rest: { metadata: ReportMetadata; runs: readonly ReportRun[]; figures: readonly ReportFigure[] },
): string {
  const figures = rest.figures.map((f) => ({
    template: f.template,
    title: f.title,
    files: f.files,
    slots: f.slots,
  }));
  const doc = { ...results, metadata: rest.metadata, runs: rest.runs, figures };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export async function writeReproReport(
  ctx: Pick<ServiceContext, 'store' | 'dbPath'>,
  results: ReproResults,
  opts: { outDir: string; dpi: number },
): Promise<ReproReport> {
  // The folder first: one that cannot be written fails before any figure is drawn.
  const dir = prepareReportDir(opts.outDir, [FIGURES_DIR]);
  const files: string[] = [];
  const write = (relPath: string, data: string | Uint8Array): void => {
    writeReportFile(dir, relPath, data);
    files.push(relPath);
  };

  const runs = reportRuns(ctx, results);
  const figures = await exportReportFigures(ctx, results, opts.dpi, write);
  const metadata = reportMetadata({ results, runs, dbPath: ctx.dbPath, dpi: opts.dpi, now: new Date() });
  write(REPORT_JSON, resultsJson(results, { metadata, runs, figures }));
  write(REPORT_INDEX, reportHtml({ results, metadata, runs, figures }));
  return {
    dir,
    index: join(dir, REPORT_INDEX),
    files,
    claims: results.claims.map((c) => ({ claim: c.claim, verdict: c.verdict })),
    complete: results.complete,
  };
}
