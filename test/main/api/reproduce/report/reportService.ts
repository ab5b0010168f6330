/**
 * The report's tests over the service: a reproduction's runs stored (reproRuns.ts), then the service
 * opened over the same database (serviceHarness.ts), and `reproduce.report` called as a host would.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openStore } from '../../../../../src/main/store';
import type { ReproReport } from '../../../../../src/shared/reproduce';
import { openHarness, type ServiceHarness } from '../../../../helpers/serviceHarness';
import type { TempDirs } from '../../../../helpers/tempDirs';
import { storeReproRuns, type ReproRuns, type ReproRunsOptions } from './reproRuns';

export interface Opened {
  h: ServiceHarness;
  base: string;
  runs: ReproRuns;
}

export type SmokePlan = { scale: 'smoke'; only?: string };

/** The reproduction's runs stored, then the service opened over the same database. */
export function openWithRuns(dirs: TempDirs, plan: SmokePlan, options: ReproRunsOptions = {}): Opened {
  const base = dirs.make();
  const store = openStore(join(base, 'runs.sqlite'));
  const runs = storeReproRuns(store, plan, options);
  store.close();
  return { h: openHarness(base), base, runs };
}

/** `fn` over a service opened on the runs, closed after. */
export async function withRuns(
  dirs: TempDirs,
  plan: SmokePlan,
  fn: (o: Opened) => Promise<void>,
): Promise<void> {
  const o = openWithRuns(dirs, plan);
  try {
    await fn(o);
  } finally {
    await o.h.close();
  }
}

/** reproduce.report at smoke scale into `<base>/<sub>`. */
export function writeReport(o: Opened, sub: string, only?: string, dpi = 72): Promise<ReproReport> {
  const outDir = join(o.base, sub);
  return o.h.call('reproduce.report', {
    scale: 'smoke',
    ...(only !== undefined ? { only } : {}),
    outDir,
    dpi,
  });
}

export const readBytes = (dir: string, rel: string): Buffer => readFileSync(join(dir, rel));
export const readText = (dir: string, rel: string): string => readBytes(dir, rel).toString('utf8');

/** The page's section of one claim. */
export function claimSection(html: string, claim: string): string {
  const start = html.indexOf(`<section class="claim" id="claim-${claim}">`);
  expect(start, `no section for ${claim}`).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</section>', start));
}
