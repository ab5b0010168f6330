/**
 * A chart option to an SVG document, in the main process, without a window: ECharts' server-side SVG
 * renderer. Text stays text (<text> elements), and animation is off so the first frame is the final one.
 */
import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';

export interface SvgSize {
  widthPx: number;
  heightPx: number;
}

function finiteOrNull(value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

/** A data item with NaN and the infinities as null: a gap in the line. */
function finiteItem(item: unknown): unknown {
  if (Array.isArray(item)) return item.map(finiteOrNull);
  if (typeof item === 'object' && item !== null && 'value' in item) {
    const value = (item as { value: unknown }).value;
    return { ...item, value: Array.isArray(value) ? value.map(finiteOrNull) : finiteOrNull(value) };
  }
  return finiteOrNull(item);
}

/**
 * NaN and ±Infinity out of series data and dataset sources. ECharts skips NaN, but an infinite value
 * enters the axis extent and an axis to Infinity draws nothing sensible; null is ECharts' gap.
 */
export function withFiniteData(option: EChartsOption): EChartsOption {
  const out: EChartsOption = { ...option };
  const cleanSeries = (s: unknown): unknown => {
    if (typeof s !== 'object' || s === null || !('data' in s)) return s;
    const data = (s as { data: unknown }).data;
    return Array.isArray(data) ? { ...s, data: data.map(finiteItem) } : s;
  };
  if (option.series !== undefined) {
    const series = option.series;
    // The casts restore ECharts' own unions, which the element-wise copies keep but cannot name.
    out.series = (Array.isArray(series) ? series.map(cleanSeries) : cleanSeries(series)) as typeof series;
  }
  if (option.dataset !== undefined) {
    const dataset = option.dataset;
    const cleanDataset = (d: unknown): unknown => {
      if (typeof d !== 'object' || d === null || !('source' in d)) return d;
      const source = (d as { source: unknown }).source;
      return Array.isArray(source) ? { ...d, source: source.map(finiteItem) } : d;
    };
    out.dataset = (
      Array.isArray(dataset) ? dataset.map(cleanDataset) : cleanDataset(dataset)
    ) as typeof dataset;
  }
  return out;
}

/** The option drawn at widthPx x heightPx CSS pixels as an SVG document string. */
export function renderSvg(option: EChartsOption, size: SvgSize): string {
  if (!(size.widthPx > 0 && size.heightPx > 0) || !Number.isFinite(size.widthPx + size.heightPx)) {
    throw new Error(`renderSvg: size must be positive, got ${size.widthPx} x ${size.heightPx} px`);
  }
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: size.widthPx,
    height: size.heightPx,
  });
  try {
    chart.setOption({ ...withFiniteData(option), animation: false }, { notMerge: true });
    return chart.renderToSVGString();
  } finally {
    // Disposing stops zrender's frame loop, which would otherwise keep the process alive.
    chart.dispose();
  }
}
