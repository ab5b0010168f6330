/**
 * A ridge plot (Figs 1, 2, 6): the activation probe's histograms of one layer's probed unit, one row
 * per logged step, at most RIDGE_ROWS steps evenly spaced over the run. A slot of several runs
 * (seeds) shows its newest run: histograms of different runs' units do not add up.
 */
import { evenlySpaced, type RidgePanel } from '../../../shared/figureTemplates';
import type { PlotPanel, RidgeRow } from '../../../shared/plots';
import type { FigureContext } from './compareRuns';
import { noRunsNote, type FilledSlot } from './templateSlots';

/** Rows of a ridge plot; more would overlap into an unreadable band. */
export const RIDGE_ROWS = 12;

export function ridgePanel(ctx: FigureContext, def: RidgePanel, slot: FilledSlot): PlotPanel {
  const notes: string[] = [];
  let ridges: RidgeRow[] = [];
  const runId = slot.runIds[0];
  if (runId === undefined) {
    notes.push(noRunsNote(slot));
  } else {
    if (slot.runIds.length > 1)
      notes.push(`histograms of run ${runId}, the newest of the ${slot.runIds.length} runs of ${slot.label}`);
    const rows: RidgeRow[] = [];
    let failed = 0;
    for (const record of ctx.store.listProbeRecords(runId, { probe: 'activations' })) {
      if (record.probe !== 'activations' || !('layer' in record.data) || record.data.layer !== def.layer)
        continue;
      if ('edges' in record.data) {
        rows.push({ step: record.step, edges: record.data.edges, counts: record.data.counts });
      } else failed++;
    }
    rows.sort((a, b) => a.step - b.step);
    ridges = evenlySpaced(rows.length, RIDGE_ROWS).map((k) => rows[k] as RidgeRow);
    if (rows.length === 0) notes.push(`run ${runId} has no activation histograms of layer ${def.layer}`);
    else if (rows.length > ridges.length)
      notes.push(`${ridges.length} of ${rows.length} logged steps, evenly spaced`);
    if (failed > 0) notes.push(`${failed} steps without a histogram (non-finite activations)`);
  }
  return {
    key: def.key,
    title: def.title,
    kind: 'ridge',
    xKind: 'value',
    xLabel: 'activation value',
    yLabel: 'step',
    xScale: 'linear',
    yScale: 'linear',
    palette: 'categorical',
    lines: [],
    ridges,
    notes,
    sampling: null,
    xRange: null,
  };
}
