/**
 * Reproducing the paper (shared/reproduce.ts): the catalog of scales, readings and claims; a plan with
 * each run's state and the time left; the start; the verdicts so far; the report on disk.
 */
import type { ApiHandlers } from '../dispatch';
import { reportDir, writeReproReport } from '../reproduce/report/writeReport';
import {
  calibrateReproduction,
  reproCatalog,
  reproPlanInfo,
  reproResults,
  startReproduction,
} from '../reproduce/reproduction';
import type { ServiceContext } from '../serviceContext';

type ReproduceHandlers = Pick<
  ApiHandlers,
  'reproduce.catalog' | 'reproduce.plan' | 'reproduce.start' | 'reproduce.results' | 'reproduce.report'
>;

export function reproduceHandlers(ctx: ServiceContext): ReproduceHandlers {
  return {
    'reproduce.catalog': () => reproCatalog(),
    'reproduce.plan': async ({ calibrate, backend, threads, dataDir, ...options }) => {
      if (calibrate) await calibrateReproduction(ctx, options, { backend, threads, dataDir });
      return reproPlanInfo(ctx, options, { backend, threads });
    },
    'reproduce.start': (options) => startReproduction(ctx, options),
    'reproduce.results': (options) => reproResults(ctx, options),
    'reproduce.report': ({ outDir, dpi, ...options }) =>
      writeReproReport(ctx, reproResults(ctx, options), {
        outDir: outDir ?? reportDir(ctx.locations.dataDir, options),
        dpi,
      }),
  };
}
