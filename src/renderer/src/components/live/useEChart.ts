/**
 * One ECharts instance of a live chart component, from mount to unmount: created on the canvas
 * element once mounted, resized as the element resizes, redrawn through the run's FlushScheduler only
 * while on screen (useVisibility), given the theme's colours again when the theme changes, and
 * forgotten and disposed before unmount. The component supplies what it draws (`flush`).
 */
import { nextTick, onBeforeUnmount, onMounted, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { readChartTheme, type ChartTheme } from '../../charts/chartTheme';
import { createChart, type EChartsType } from '../../charts/echartsSetup';
import type { FlushTask } from '../../charts/flushScheduler';
import { useThemeStore } from '../../stores/theme';
import { useLiveRunContext } from './liveRunContext';
import { useVisibility } from './useVisibility';

export interface EChartOptions {
  /** The element whose visibility decides whether redraws happen. */
  root: Ref<HTMLElement | null>;
  /** The element the chart draws into. */
  canvas: Ref<HTMLElement | null>;
  /** Draws on the chart (only called with a chart, while visible). */
  flush: (chart: EChartsType, theme: ChartTheme) => void;
  /** After the chart is created (default: a first redraw). */
  mounted?: (chart: EChartsType, element: HTMLElement) => void;
  /** When the canvas element resizes (default: the chart resizes). */
  resized?: (chart: EChartsType | null, element: HTMLElement) => void;
  /** On a theme change, before the redraw is asked for (e.g. to drop what was drawn). */
  themeChanged?: () => void;
}

export interface EChart {
  chart: ShallowRef<EChartsType | null>;
  visible: Ref<boolean>;
  /** The chart's FlushScheduler task. */
  task: FlushTask;
  /** Asks the scheduler for a redraw. */
  markDirty: () => void;
}

export function useEChart(options: EChartOptions): EChart {
  const ctx = useLiveRunContext();
  const themeStore = useThemeStore();
  const chart = shallowRef<EChartsType | null>(null);
  let theme: ChartTheme = readChartTheme();
  let resizeObserver: ResizeObserver | null = null;

  const task: FlushTask = {
    flush(): void {
      const c = chart.value;
      if (!c || !visible.value) return;
      options.flush(c, theme);
    },
  };
  const markDirty = (): void => ctx.scheduler.markDirty(task);
  /** Off screen: changes wait until the chart shows again. */
  const visible = useVisibility(options.root, markDirty);

  onMounted(() => {
    const el = options.canvas.value;
    if (!el) return;
    const c = createChart(el);
    chart.value = c;
    resizeObserver = new ResizeObserver(() => {
      if (options.resized) options.resized(chart.value, el);
      else chart.value?.resize();
    });
    resizeObserver.observe(el);
    if (options.mounted) options.mounted(c, el);
    else markDirty();
  });

  watch(
    () => themeStore.resolved,
    async () => {
      await nextTick();
      theme = readChartTheme();
      options.themeChanged?.();
      markDirty();
    },
  );

  onBeforeUnmount(() => {
    ctx.scheduler.forget(task);
    resizeObserver?.disconnect();
    chart.value?.dispose();
    chart.value = null;
  });

  return { chart, visible, task, markDirty };
}
