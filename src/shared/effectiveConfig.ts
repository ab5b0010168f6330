/**
 * A stored run's config as the current NormLab reads it: parsed with today's schema, so keys added
 * since the run was stored appear with the defaults that reproduce its behaviour (a run stored before
 * `model.lp` existed compares equal to a new run with the default lp settings). A config today's
 * schema refuses stays as it was stored.
 */
import { experimentSchema } from './config';

export function effectiveConfig(stored: unknown): unknown {
  const parsed = experimentSchema.safeParse(stored);
  return parsed.success ? parsed.data : stored;
}
