/**
 * The validated experiment a request describes (shared/api.ts experimentRequestSchema): a preset, an
 * experiment object or a JSON file, then the `key=value` overrides in order, then the typed backend
 * (else, when neither the experiment nor an override names one, the defaultBackend setting), and for
 * CIFAR-10 the dataset folder resolved and checked. Everything that can be wrong is found here, before
 * a run is stored.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { experimentRequestSchema } from '../../shared/api';
import type { ExperimentConfig } from '../../shared/config';
import { applyOverrides, parseExperiment, type JsonObject } from '../../shared/configOverrides';
import { UserError } from '../../shared/errors';
import { findPreset, PRESETS } from '../../shared/presets';
import { requireCifar10, type DatasetPlaces } from './cifar10Location';

export type ExperimentRequestParsed = z.output<typeof experimentRequestSchema>;

export interface BuiltExperiment {
  config: ExperimentConfig;
  /** The name to store: the request's, else the config's, else the preset's. */
  name: string;
}

export function buildExperiment(req: ExperimentRequestParsed, places: DatasetPlaces): BuiltExperiment {
  const { base, origin, presetName } = experimentBase(req);
  const merged = applyOverrides(base, req.overrides);
  if (req.backend !== undefined) merged['backend'] = req.backend;
  else if (merged['backend'] === undefined) {
    const preferred = places.settings().defaultBackend;
    if (preferred !== undefined) merged['backend'] = preferred;
  }
  const config = parseExperiment(merged, req.overrides.length ? `${origin} with your overrides` : origin);
  if (config.data.dataset === 'cifar10') {
    config.data.dir = requireCifar10(req.dataDir ?? (config.data.dir || undefined), places, config.data);
  }
  return { config, name: req.name ?? (config.name || presetName || '') };
}

/**
 * A stored run's config as it runs again (resume, adoption): parsed with the current schema, the
 * backend replaced when asked, the dataset folder checked again.
 */
export function storedExperiment(
  runId: string,
  stored: unknown,
  places: DatasetPlaces,
  backend?: ExperimentConfig['backend'],
): ExperimentConfig {
  const config = parseExperiment(stored, `the stored config of run ${runId}`);
  if (backend !== undefined) config.backend = backend;
  if (config.data.dataset === 'cifar10')
    config.data.dir = requireCifar10(config.data.dir || undefined, places, config.data);
  return config;
}

function experimentBase(req: ExperimentRequestParsed): {
  base: JsonObject;
  origin: string;
  presetName?: string;
} {
  if (req.preset !== undefined) {
    const preset = findPreset(req.preset);
    if (!preset) {
      throw new UserError(
        'usage',
        `unknown preset "${req.preset}"; the presets are: ${PRESETS.map((p) => p.name).join(', ')}`,
      );
    }
    return { base: preset.config as JsonObject, origin: `preset ${preset.name}`, presetName: preset.name };
  }
  if (req.config !== undefined) return { base: req.config, origin: 'the experiment' };
  const file = req.configFile as string;
  return { base: readConfigFile(file), origin: `config file ${file}` };
}

function readConfigFile(path: string): JsonObject {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(
      'config',
      `cannot read the config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UserError('config', `the config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError('config', `the config file ${path} must hold a JSON object (an experiment)`);
  }
  return value as JsonObject;
}
