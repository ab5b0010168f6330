/**
 * The live-latency benchmark's probe in the page (bench/liveLatency.ts reads it). With `?bench=1` in
 * the page URL (before or after the #) or `window.__normlabBenchEnabled = true`, every live metric
 * point that a chart draws records the time from its emission in the worker (the metrics event's
 * `emittedAt`) to the end of the chart's redraw (ECharts renders synchronously in setOption), or,
 * for events without `emittedAt`, from its arrival in the page. Numbers go to window.__normlabBench.
 */

export interface BenchNumbers {
  /** Worker emission (or page arrival) to drawn, per point, ms. */
  latencies: number[];
  /** What the latencies are measured from. */
  from: 'worker' | 'page';
  /** Chart redraws and their durations, ms. */
  flushMs: number[];
  /** Per chart (its title): redraws and their total time, ms. */
  charts: Record<string, { flushes: number; ms: number }>;
  points: number;
}

declare global {
  interface Window {
    __normlabBench?: BenchNumbers;
    __normlabBenchEnabled?: boolean;
  }
}

export function benchRequested(loc: Location = window.location): boolean {
  if (window.__normlabBenchEnabled === true) return true;
  const inSearch = new URLSearchParams(loc.search).get('bench');
  const q = loc.hash.indexOf('?');
  const inHash = q >= 0 ? new URLSearchParams(loc.hash.slice(q + 1)).get('bench') : null;
  return inSearch === '1' || inHash === '1';
}

export class BenchRecorder {
  readonly numbers: BenchNumbers = { latencies: [], from: 'worker', flushMs: [], charts: {}, points: 0 };

  constructor(target: Window | null = typeof window === 'undefined' ? null : window) {
    if (target) target.__normlabBench = this.numbers;
  }

  /**
   * Chart `chart` redrew in `flushMs`, drawing points stamped `stamps` (emission times, ms since the
   * epoch).
   */
  drawn(chart: string, stamps: readonly number[], flushMs: number, now = Date.now()): void {
    this.numbers.flushMs.push(flushMs);
    const c = (this.numbers.charts[chart] ??= { flushes: 0, ms: 0 });
    c.flushes++;
    c.ms += flushMs;
    for (const t of stamps) this.numbers.latencies.push(now - t);
    this.numbers.points += stamps.length;
  }

  /** Events carry no emission time: latencies are from their arrival in the page. */
  measuringFromPage(): void {
    this.numbers.from = 'page';
  }
}
