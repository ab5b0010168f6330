/**
 * A run's full history as a file: CSV (series,step,value,time, one row per stored point) or JSON (the
 * run, every series, the probes' structured records and the loss slices with their points). Produced
 * as text chunks, so a run of millions of points is written without holding it in memory. JSON has no
 * NaN or Infinity: non-finite values are written as the strings "NaN", "Infinity", "-Infinity".
 */
import type { MetricRow } from '../../shared/runTypes';
import type { Store } from '../store';

export type ExportFormat = 'csv' | 'json';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json'];

/** Chunks of about this many characters. */
const CHUNK = 1 << 16;

/** JSON.stringify replacer: NaN and the infinities, which JSON cannot hold, as strings. */
export function finiteOrString(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

/** RFC 4180 CSV cells: quoted when they hold a comma, quote or line break. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null)[]): string {
  return cells.map(csvCell).join(',') + '\n';
}

/**
 * The export of run `runId` (which must exist) in `format`. The store's read is a stream: consume
 * the chunks before writing to the same database.
 */
export function* exportRun(
  store: Store,
  runId: string,
  format: ExportFormat,
): Generator<string, void, undefined> {
  const rows = store.exportMetrics(runId);
  if (format === 'csv') {
    yield* csvChunks(rows);
    return;
  }
  const series: Record<string, { step: number; value: number | string; time: number }[]> = {};
  for (const r of rows) {
    (series[r.series] ??= []).push({
      step: r.step,
      value: Number.isFinite(r.value) ? r.value : String(r.value),
      time: r.time,
    });
  }
  const run = store.getRun(runId);
  const probes = store.listProbeRecords(runId);
  const slices = store.listSliceJobs(runId).map((job) => ({ ...job, points: store.readSlicePoints(job.id) }));
  yield `${JSON.stringify({ run, series, probes, slices }, finiteOrString, 2)}\n`;
}

function* csvChunks(rows: Iterable<MetricRow>): Generator<string, void, undefined> {
  let chunk = csvLine(['series', 'step', 'value', 'time']);
  for (const r of rows) {
    chunk += csvLine([r.series, r.step, r.value, new Date(r.time).toISOString()]);
    if (chunk.length > CHUNK) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk;
}
