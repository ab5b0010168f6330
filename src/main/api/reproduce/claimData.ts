/**
 * What a claim reads from the store: per slot (`TEMPLATE/LABEL`, e.g. `fig4/bn`), one number per run
 * averaged over the slot's runs (seeds). A slot without runs, or whose runs lack the data, is noted as
 * missing so the claim is inconclusive rather than decided on part of its data.
 */
import { findTemplate } from '../../../shared/figureTemplates';
import type { Store } from '../../store';
import type { FigureContext } from '../figures/compareRuns';
import { defaultSlots } from '../figures/templateSlots';
import { mean } from './claimMetrics';

/** Run ids per slot key `TEMPLATE/LABEL`. */
export type RunsBySlot = Readonly<Record<string, readonly string[]>>;

/** Every slot of the templates with its default runs (templateSlots.ts), keyed `TEMPLATE/LABEL`. */
export function defaultRunsBySlot(
  ctx: FigureContext,
  templates: readonly string[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const runs = ctx.store.listRuns();
  for (const name of templates) {
    const template = findTemplate(name);
    if (!template) throw new Error(`no figure template ${name}`);
    for (const slot of defaultSlots(ctx, template, runs)) out[`${name}/${slot.label}`] = slot.runIds;
  }
  return out;
}

export class ClaimData {
  /** What could not be read, in the order met: `fig4/bn: no runs`, `fig4/bn: no probe/... values`. */
  readonly missing: string[] = [];
  readonly seeds: Record<string, number> = {};

  constructor(
    readonly store: Store,
    private readonly runsBySlot: RunsBySlot,
  ) {}

  runs(slot: string): readonly string[] {
    const ids = this.runsBySlot[slot] ?? [];
    this.seeds[slot] = ids.length;
    return ids;
  }

  /**
   * `perRun` over the slot's runs, averaged; NaN (and noted as missing, with `what`) when the slot has
   * no runs or a run gives no finite value.
   */
  slotMean(slot: string, what: string, perRun: (runId: string) => number): number {
    const ids = this.runs(slot);
    if (ids.length === 0) return this.miss(`${slot}: no runs`);
    const values = ids.map(perRun);
    if (values.some((v) => !Number.isFinite(v))) return this.miss(`${slot}: no ${what}`);
    return mean(values);
  }

  /** A series' finite values (steps and values), in step order. */
  series(runId: string, name: string): { steps: number[]; values: number[] } {
    const data = this.store.readSeries(runId, name);
    const steps: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < data.values.length; i++) {
      const v = data.values[i] as number;
      if (!Number.isFinite(v)) continue;
      steps.push(data.steps[i] as number);
      values.push(v);
    }
    return { steps, values };
  }

  /** The layers a run logged `probe/KIND/layerN/SUFFIX` for, ascending. */
  layers(runId: string, kind: string, suffix: string): number[] {
    const pattern = new RegExp(`^probe/${kind}/layer(\\d+)/${suffix}$`);
    return this.store
      .listSeries(runId)
      .flatMap((s) => {
        const m = pattern.exec(s.name);
        return m ? [Number(m[1])] : [];
      })
      .sort((a, b) => a - b);
  }

  private miss(what: string): number {
    if (!this.missing.includes(what)) this.missing.push(what);
    return NaN;
  }
}
