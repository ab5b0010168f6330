/**
 * Fig 11: the landscape probe's gradient change ||grad L(w - eta g) - g|| against the step size eta,
 * one curve per probed step, shaded from early (light) to late (dark). A slot of several runs (seeds)
 * shows its newest run.
 */
import type { EtaPanel } from '../../../shared/figureTemplates';
import type { PlotLine, PlotPanel } from '../../../shared/plots';
import type { FigureContext } from './compareRuns';
import { noRunsNote, type FilledSlot } from './templateSlots';

export function etaPanel(ctx: FigureContext, def: EtaPanel, slot: FilledSlot): PlotPanel {
  const notes: string[] = [];
  const lines: PlotLine[] = [];
  const runId = slot.runIds[0];
  if (runId === undefined) {
    notes.push(noRunsNote(slot));
  } else {
    if (slot.runIds.length > 1)
      notes.push(`curves of run ${runId}, the newest of the ${slot.runIds.length} runs of ${slot.label}`);
    const curves: { step: number; etas: number[]; changes: number[] }[] = [];
    for (const record of ctx.store.listProbeRecords(runId, { probe: 'landscape' })) {
      if (record.probe !== 'landscape' || !('etas' in record.data)) continue;
      const { etas, gradChanges } = record.data;
      // Drawn left to right: the eta grid is stored in the multipliers' order.
      const order = etas.map((_, k) => k).sort((a, b) => (etas[a] as number) - (etas[b] as number));
      curves.push({
        step: record.step,
        etas: order.map((k) => etas[k] as number),
        changes: order.map((k) => gradChanges[k] as number),
      });
    }
    curves.sort((a, b) => a.step - b.step);
    curves.forEach((c, k) => {
      lines.push({
        key: `step-${c.step}`,
        label: `step ${c.step}`,
        role: 'line',
        color: 0,
        shade: curves.length > 1 ? k / (curves.length - 1) : 1,
        runIds: [runId],
        steps: [],
        x: c.etas,
        y: c.changes,
      });
    });
    if (curves.length === 0) notes.push(`run ${runId} has no landscape probe records`);
  }
  return {
    key: def.key,
    title: def.title,
    kind: 'lines',
    xKind: 'eta',
    xLabel: 'η (step size)',
    yLabel: 'gradient change',
    xScale: 'log',
    yScale: def.yScale,
    palette: 'sequential',
    lines,
    ridges: [],
    notes,
    sampling: null,
    xRange: null,
  };
}
