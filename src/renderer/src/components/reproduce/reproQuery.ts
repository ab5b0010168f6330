/**
 * The Reproduction view's choices in the URL, so a reproduction can be reloaded and shared:
 *
 *   #/reproduce?scale=smoke&only=fig4&reading=dln-mean-loss
 *
 * `only` is one figure (every figure when absent) and `reading` a reading's name (`spec` when
 * absent). An unknown scale falls back to the default; `only` and `reading` are passed to the host
 * as written, which says what it takes when it does not know them.
 */
import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import { isReproScale, type ReproOptions, type ReproScale } from '../../../../shared/reproduce';

/** The scale a fresh view opens at: the reproduction meant for this kind of machine. */
export const DEFAULT_SCALE: ReproScale = 'cpu';
/** The reading applied when none is named (shared/readings.ts). */
export const DEFAULT_READING = 'spec';

export interface ReproState {
  scale: ReproScale;
  only: string | null;
  reading: string;
}

function one(value: LocationQuery[string] | undefined): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (Array.isArray(value)) {
    const first = value.find((v): v is string => typeof v === 'string' && v.trim() !== '');
    return first?.trim() ?? null;
  }
  return null;
}

export function reproStateFromQuery(query: LocationQuery): ReproState {
  const scale = one(query['scale']);
  return {
    scale: scale !== null && isReproScale(scale) ? scale : DEFAULT_SCALE,
    only: one(query['only']),
    reading: one(query['reading']) ?? DEFAULT_READING,
  };
}

export function queryFromReproState(state: ReproState): LocationQueryRaw {
  const q: LocationQueryRaw = { scale: state.scale };
  if (state.only !== null) q['only'] = state.only;
  if (state.reading !== DEFAULT_READING) q['reading'] = state.reading;
  return q;
}

/** The options reproduce.plan, .start, .results and .report take (the defaults left out). */
export function reproOptions(state: ReproState): ReproOptions {
  return {
    scale: state.scale,
    ...(state.only !== null ? { only: state.only } : {}),
    ...(state.reading !== DEFAULT_READING ? { reading: state.reading } : {}),
  };
}
