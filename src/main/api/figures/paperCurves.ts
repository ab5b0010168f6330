/**
 * The paper's published curves (resources/paper/figures.json, a copy of
 * ../shared/data/paper/figures.json so the app has them on a user's machine) as overlay lines of a
 * template's panels. The JSON is imported, so vite bundles it into the main process and tsx/vitest
 * read it from the repository alike; it is checked against its schema the first time it is used.
 */
import { z } from 'zod';
import type { PaperRef } from '../../../shared/figureTemplates';
import { paperSeriesName, slotTitle } from '../../../shared/figureTemplates';
import type { PlotLine } from '../../../shared/plots';
import paperJson from '../../../../resources/paper/figures.json';

const entryBase = {
  figure: z.string(),
  panel: z.string(),
  series: z.string(),
  x: z.string(),
  y: z.string(),
  yScale: z.enum(['linear', 'log']),
};

export const paperFiguresSchema = z
  .object({
    source: z.string(),
    accuracy: z.string(),
    figures: z.array(
      z.discriminatedUnion('kind', [
        z.object({
          ...entryBase,
          kind: z.literal('line'),
          points: z.array(z.tuple([z.number(), z.number()])),
        }),
        z.object({
          ...entryBase,
          kind: z.literal('band'),
          band: z.array(z.tuple([z.number(), z.number(), z.number()])),
        }),
      ]),
    ),
  })
  .strict();
export type PaperFigures = z.infer<typeof paperFiguresSchema>;
export type PaperEntry = PaperFigures['figures'][number];

let parsed: PaperFigures | undefined;

/** figures.json, checked once. */
export function paperFigures(): PaperFigures {
  parsed ??= paperFiguresSchema.parse(paperJson);
  return parsed;
}

/** The entry of a paper panel for a slot, if the paper has that curve. */
export function paperEntry(ref: PaperRef, slot: string): PaperEntry | undefined {
  const series = paperSeriesName(ref, slot);
  return paperFigures().figures.find(
    (e) => e.figure === ref.figure && e.panel === ref.panel && e.series === series,
  );
}

/** Whether the paper has a curve for this panel and any of the slots. */
export function hasPaperCurves(ref: PaperRef, slots: readonly string[]): boolean {
  return slots.some((slot) => paperEntry(ref, slot) !== undefined);
}

/**
 * The paper's curves of a panel, one per slot that has one (colour = the slot's position in
 * `slots`), as role 'paper' lines; bands as a band with y all NaN. Values in % (`ref.percent`:
 * accuracy) become the fraction the runs store. Points outside `range` (steps) are left out. The
 * paper's x is the step read off the figure (not an integer, sometimes a little below 0: those are
 * the curve's first point and are put at step 0), so `steps` is empty. The legend says "paper: " in
 * front of the label (plotSeries.ts legendName).
 */
export function paperLines(
  ref: PaperRef,
  slots: readonly string[],
  range?: readonly [number, number],
): PlotLine[] {
  // Division, not * 0.01: 99.16 / 100 is the double nearest 0.9916; 99.16 * 0.01 is not.
  const scale = (v: number): number => (ref.percent ? v / 100 : v);
  const inRange = (x: number): boolean => !range || (x >= range[0] && x <= range[1]);
  return slots.flatMap((slot, color) => {
    const entry = paperEntry(ref, slot);
    if (!entry) return [];
    const base = {
      key: `paper-${slot}`,
      label: slotTitle(slot),
      role: 'paper' as const,
      color,
      runIds: [],
      steps: [],
    };
    if (entry.kind === 'line') {
      const points = entry.points.filter(([x]) => inRange(x));
      return [{ ...base, x: points.map(([x]) => Math.max(0, x)), y: points.map(([, y]) => scale(y)) }];
    }
    const rows = entry.band.filter(([x]) => inRange(x));
    return [
      {
        ...base,
        x: rows.map(([x]) => Math.max(0, x)),
        y: rows.map(() => Number.NaN),
        band: { lo: rows.map(([, lo]) => scale(lo)), hi: rows.map(([, , hi]) => scale(hi)) },
      },
    ];
  });
}
