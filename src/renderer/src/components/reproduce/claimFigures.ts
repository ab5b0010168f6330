/**
 * The figures a claim reads, filled with exactly the runs the reproduction judged it on
 * (reproduce.results' runsBySlot, keyed `TEMPLATE/LABEL`). Every slot of the template is named in the
 * spec, an empty one with an empty list: a slot left out would be filled by the host with whatever
 * stored runs are named after it, which is not what the verdict read.
 */
import { findTemplate } from '../../../../shared/figureTemplates';
import type { TemplateSpec } from '../../../../shared/plots';

export interface ClaimFigure {
  template: string;
  /** The figure's heading (the template's title), or the template's name when it is unknown here. */
  title: string;
  /** Not drawn by this reproduction (another `only`): the view says so instead of drawing it. */
  inPlan: boolean;
  /** Runs over all its slots. */
  runs: number;
  /** Null when no slot has a run yet (nothing to draw). */
  spec: TemplateSpec | null;
}

export function claimFigure(
  template: string,
  planTemplates: readonly string[],
  runsBySlot: Readonly<Record<string, readonly string[]>>,
): ClaimFigure {
  const def = findTemplate(template);
  const inPlan = planTemplates.includes(template);
  const slots: Record<string, string[]> = {};
  for (const label of def?.slots ?? []) slots[label] = [...(runsBySlot[`${template}/${label}`] ?? [])];
  const runs = Object.values(slots).reduce((n, ids) => n + ids.length, 0);
  return {
    template,
    title: def?.title ?? template,
    inPlan,
    runs,
    spec:
      def && inPlan && runs > 0
        ? { kind: 'template', template, slots, paper: true, smoothing: 0, band: 'minmax' }
        : null,
  };
}
