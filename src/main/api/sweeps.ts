/**
 * Sets of runs queued as one sweep: a grid (every combination of learning rates x normalizations x
 * seeds over a base experiment) or every run of a paper figure. Each run's config is built and
 * validated (dataset included) before any is stored: a sweep starts whole or not at all.
 */
import type { z } from 'zod';
import type { sweepGridSchema } from '../../shared/api';
import { experimentSchema, type NormalizationName } from '../../shared/config';
import { formatIssues } from '../../shared/configOverrides';
import { UserError } from '../../shared/errors';
import { FIGURES, findFigure } from '../../shared/figures';
import type { DatasetPlaces } from './cifar10Location';
import { buildExperiment, type BuiltExperiment, type ExperimentRequestParsed } from './experimentBuilder';

export type SweepGrid = z.output<typeof sweepGridSchema>;

export interface SweepPlan {
  /** Groups the runs: `NAME@ISO-time`. */
  sweepId: string;
  runs: BuiltExperiment[];
}

export function sweepId(name: string, now = new Date()): string {
  return `${name || 'sweep'}@${now.toISOString()}`;
}

/** The grid's runs, lr outermost, then normalization, then seed; named after their values. */
export function planGrid(base: ExperimentRequestParsed, grid: SweepGrid, places: DatasetPlaces): SweepPlan {
  const built = buildExperiment(base, places);
  const lrs = grid.lr ?? [built.config.optimizer.lr];
  const norms: NormalizationName[] = grid.normalization ?? [built.config.model.normalization];
  const seeds = grid.seed ?? [built.config.seed];
  const runs: BuiltExperiment[] = [];
  for (const lr of lrs) {
    for (const normalization of norms) {
      for (const seed of seeds) {
        const candidate = {
          ...built.config,
          seed,
          model: { ...built.config.model, normalization },
          optimizer: { ...built.config.optimizer, lr },
        };
        const parsed = experimentSchema.safeParse(candidate);
        const label = `lr=${lr} ${normalization} seed=${seed}`;
        if (!parsed.success) {
          throw new UserError(
            'config',
            `the sweep's run ${label} is not a valid experiment:\n${formatIssues(parsed.error)}`,
          );
        }
        runs.push({ config: parsed.data, name: built.name ? `${built.name} ${label}` : label });
      }
    }
  }
  return { sweepId: sweepId(built.name), runs };
}

/** Every run of figure `name` (`fig4-cpu`), each built as its preset with the same overrides. */
export function planFigure(
  name: string,
  request: Omit<ExperimentRequestParsed, 'preset' | 'config' | 'configFile' | 'name'>,
  places: DatasetPlaces,
): SweepPlan {
  const figure = findFigure(name);
  if (!figure) {
    throw new UserError(
      'usage',
      `unknown figure "${name}"; the figures are: ${FIGURES.map((f) => f.name).join(', ')}`,
    );
  }
  return {
    sweepId: sweepId(figure.name),
    runs: figure.runs.map((r) => buildExperiment({ ...request, preset: r.name, name: r.name }, places)),
  };
}
