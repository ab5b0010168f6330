/**
 * A paper figure's choices in the URL, so a filled template can be reloaded and shared:
 *
 *   #/figures/fig4?slot.bn=a1,a2&slot.plain=b1&paper=0&smooth=0.6&band=std&range=100,900
 *
 * `slot.LABEL` lists the runs a slot is filled with instead of its default (the stored runs named
 * FIGURE/LABEL); defaults are left out (paper overlay on, smoothing off, min-max band, no zoom).
 */
import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import { BAND_KINDS, type BandKind, type TemplateSpec } from '../../../../shared/plots';
import { clampSmoothing, MAX_RUNS, parseRange } from '../compare/compareQuery';

const SLOT_PREFIX = 'slot.';

export interface FigureState {
  /** Runs per slot label, for the slots the user filled; others keep their defaults. */
  slots: Record<string, string[]>;
  paper: boolean;
  smoothing: number;
  band: BandKind;
  range: [number, number] | null;
}

function one(value: LocationQuery[string] | undefined): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.find((v): v is string => typeof v === 'string') ?? null;
  return null;
}

function ids(value: LocationQuery[string] | undefined): string[] {
  const items = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') continue;
    for (const part of item.split(',')) {
      const id = part.trim();
      if (id && !out.includes(id)) out.push(id);
    }
  }
  return out.slice(0, MAX_RUNS);
}

export function figureStateFromQuery(query: LocationQuery): FigureState {
  const slots: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(query)) {
    if (!key.startsWith(SLOT_PREFIX) || key.length === SLOT_PREFIX.length) continue;
    slots[key.slice(SLOT_PREFIX.length)] = ids(value);
  }
  const band = one(query['band']);
  return {
    slots,
    paper: one(query['paper']) !== '0',
    smoothing: clampSmoothing(Number(one(query['smooth']) ?? 0)),
    band: (BAND_KINDS as readonly string[]).includes(band ?? '') ? (band as BandKind) : 'minmax',
    range: parseRange(one(query['range'])),
  };
}

function short(n: number): string {
  return String(Number(n.toPrecision(6)));
}

export function queryFromFigureState(state: FigureState): LocationQueryRaw {
  const q: LocationQueryRaw = {};
  for (const label of Object.keys(state.slots).sort()) {
    q[`${SLOT_PREFIX}${label}`] = (state.slots[label] ?? []).join(',');
  }
  if (!state.paper) q['paper'] = '0';
  if (state.smoothing > 0) q['smooth'] = short(state.smoothing);
  if (state.band !== 'minmax') q['band'] = state.band;
  if (state.range) q['range'] = `${short(state.range[0])},${short(state.range[1])}`;
  return q;
}

export function templateSpec(template: string, state: FigureState): TemplateSpec {
  return {
    kind: 'template',
    template,
    slots: Object.fromEntries(Object.entries(state.slots).map(([k, v]) => [k, [...v]])),
    paper: state.paper,
    smoothing: state.smoothing,
    band: state.band,
    ...(state.range ? { range: [state.range[0], state.range[1]] as [number, number] } : {}),
  };
}

/** The runs a slot shows: the user's choice, else the template's default (figures.templates). */
export function slotRuns(
  state: FigureState,
  defaults: readonly { label: string; runIds: readonly string[] }[],
  label: string,
): string[] {
  return state.slots[label] ?? [...(defaults.find((s) => s.label === label)?.runIds ?? [])];
}

/**
 * The figure preset that stores runs for an empty slot: the CPU-scale one when the template has it
 * (hours on a laptop, not days), else the first.
 */
export function presetToRun(sources: readonly string[]): string | null {
  return sources.find((s) => s.endsWith('-cpu')) ?? sources[0] ?? null;
}
