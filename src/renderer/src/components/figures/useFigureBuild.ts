/**
 * A figure built by the host (`figures.build`) for the current spec and chart width, kept current:
 * - a changed spec or width builds again at once; the answer to an older request is dropped;
 * - `refresh()` (new points of a training run) builds again without dimming the chart, and while a
 *   build is under way it waits for it and then builds once, so a slow build (10 runs of a million
 *   points) is never overtaken by the next live refresh and the figure keeps updating.
 * Widths are rounded up to 50 px so that resizing the window does not re-read at every pixel.
 */
import { onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import type { NormLabClient } from '../../../../shared/api';
import { specColumns } from '../../../../shared/figureTemplates';
import type { FigureSpec, PlotFigure } from '../../../../shared/plots';
import { errorText } from '../../format/errorText';

export const WIDTH_STEP_PX = 50;

export function buildWidth(px: number): number {
  return Math.min(10_000, Math.max(WIDTH_STEP_PX, Math.ceil(px / WIDTH_STEP_PX) * WIDTH_STEP_PX));
}

export interface FigureBuild {
  figure: Ref<PlotFigure | null>;
  /** The spec (as JSON) the shown figure was built from. */
  builtFor: Ref<string | null>;
  /** A build for a changed spec or width is under way (not a live refresh). */
  loading: Ref<boolean>;
  error: Ref<string | null>;
  /** Builds again for new data (live runs); spec and width unchanged. */
  refresh: () => void;
}

export function useFigureBuild(
  client: NormLabClient,
  spec: Ref<FigureSpec | null>,
  widthPx: Ref<number>,
  options: { perfMark?: string } = {},
): FigureBuild {
  const figure = shallowRef<PlotFigure | null>(null);
  const builtFor = ref<string | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let latest = 0;
  let inFlight = false;
  let refreshWanted = false;
  let alive = true;

  async function build(kind: 'change' | 'refresh'): Promise<void> {
    const s = spec.value;
    if (s === null || widthPx.value <= 0) {
      if (kind === 'change') {
        latest++;
        loading.value = false;
      }
      return;
    }
    const token = ++latest;
    const key = JSON.stringify(s);
    inFlight = true;
    if (kind === 'change') loading.value = true;
    if (options.perfMark) performance.mark(`${options.perfMark}-build`);
    try {
      const f = await client.call('figures.build', {
        spec: s,
        // The contract's width is one panel's: the chart's width shared by the spec's columns.
        width: buildWidth(widthPx.value / specColumns(s)),
      });
      if (options.perfMark) performance.mark(`${options.perfMark}-built`);
      if (!alive || token !== latest) return;
      figure.value = f;
      builtFor.value = key;
      error.value = null;
    } catch (e) {
      if (!alive || token !== latest) return;
      error.value = errorText(e);
    } finally {
      if (token === latest) {
        inFlight = false;
        loading.value = false;
        if (refreshWanted && alive) {
          refreshWanted = false;
          void build('refresh');
        }
      }
    }
  }

  function refresh(): void {
    if (inFlight) {
      refreshWanted = true;
      return;
    }
    void build('refresh');
  }

  watch(
    // Two sources, each compared by value: a spec equal to the last one or a width within the same
    // 50 px step is no change.
    [() => JSON.stringify(spec.value), () => buildWidth(widthPx.value)],
    () => {
      refreshWanted = false;
      void build('change');
    },
    { immediate: true },
  );

  onBeforeUnmount(() => {
    alive = false;
  });

  return { figure, builtFor, loading, error, refresh };
}
