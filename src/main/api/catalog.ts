/**
 * What can be run: every preset (with its config resolved) and every paper figure as a set of runs,
 * each with an estimate of its time on this machine (estimates.ts).
 */
import type { ApiResult } from '../../shared/api';
import { parseExperiment } from '../../shared/configOverrides';
import { FIGURES } from '../../shared/figures';
import { PRESETS } from '../../shared/presets';
import type { Store } from '../store';
import { estimate } from './estimates';

export function listPresets(store: Store, preferredBackend?: string): ApiResult<'presets.list'> {
  return PRESETS.map((p) => {
    const config = parseExperiment(p.config, `preset ${p.name}`);
    const slash = p.name.indexOf('/');
    return {
      name: p.name,
      description: p.description,
      figure: slash < 0 ? null : p.name.slice(0, slash),
      config,
      ...estimate(store, config, preferredBackend),
    };
  });
}

export function listFigures(store: Store, preferredBackend?: string): ApiResult<'figures.list'> {
  return FIGURES.map((f) => {
    const estimates = f.runs.map((r) =>
      estimate(store, parseExperiment(r.config, `preset ${r.name}`), preferredBackend),
    );
    const known = estimates.every((e) => e.estimateSec !== null);
    return {
      name: f.name,
      figure: f.figure,
      scale: f.scale,
      description: f.description,
      runs: f.runs.map((r) => ({ name: r.name, label: r.label })),
      // The figure's runs queue one after another (a pool of one): their times add up.
      estimateSec: known ? estimates.reduce((sum, e) => sum + (e.estimateSec ?? 0), 0) : null,
    };
  });
}
