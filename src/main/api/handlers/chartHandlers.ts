/**
 * Chart reads: series downsampled in the store for a chart's pixel width (min, max and last per
 * bucket, the first and last point always there), and the probes' structured records.
 */
import type { ApiHandlers } from '../dispatch';
import { requireRun, type ServiceContext } from '../serviceContext';

type ChartHandlers = Pick<ApiHandlers, 'series.read' | 'probes.records'>;

export function chartHandlers(ctx: ServiceContext): ChartHandlers {
  return {
    'series.read': ({ runId, names, fromStep, toStep, width }) => {
      requireRun(ctx, runId);
      const range = {
        ...(fromStep !== undefined ? { fromStep } : {}),
        ...(toStep !== undefined ? { toStep } : {}),
      };
      return {
        series: names.map((name) => ({ name, ...ctx.store.readChartSeries(runId, name, width, range) })),
      };
    },

    'probes.records': ({ runId, probe, fromStep, toStep }) => {
      requireRun(ctx, runId);
      return ctx.store.listProbeRecords(runId, {
        ...(probe !== undefined ? { probe } : {}),
        ...(fromStep !== undefined ? { fromStep } : {}),
        ...(toStep !== undefined ? { toStep } : {}),
      });
    },
  };
}
