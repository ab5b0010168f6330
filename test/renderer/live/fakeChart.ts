/**
 * A stand-in for ECharts in component tests (happy-dom has no canvas): records every setOption and
 * merges series by id as ECharts does, so a test can read what a chart would draw.
 */
import { vi } from 'vitest';

export interface FakeChart {
  options: Record<string, unknown>[];
  series: Map<string, Record<string, unknown>>;
  handlers: Map<string, () => void>;
  zoom: { start: number; end: number; startValue?: number; endValue?: number };
}

export const charts: FakeChart[] = [];

export function createFakeChart(): unknown {
  const chart: FakeChart = {
    options: [],
    series: new Map(),
    handlers: new Map(),
    zoom: { start: 0, end: 100 },
  };
  charts.push(chart);
  return {
    setOption: vi.fn((option: Record<string, unknown>, opts?: { replaceMerge?: string[] }) => {
      chart.options.push(option);
      const list = option.series as Record<string, unknown>[] | undefined;
      if (opts?.replaceMerge?.includes('series')) chart.series.clear();
      for (const s of list ?? []) chart.series.set(String(s.id), s);
    }),
    getOption: () => ({ dataZoom: [chart.zoom] }),
    on: (name: string, handler: () => void) => chart.handlers.set(name, handler),
    resize: vi.fn(),
    dispose: vi.fn(),
    dispatchAction: vi.fn(),
  };
}
