/**
 * A paper figure template (shared/figureTemplates.ts) filled with runs, as a PlotFigure: each panel
 * kind read by its own module (templateLines.ts, ridgePanel.ts, activationChange.ts, etaPanel.ts),
 * the paper's curves over the step panels where figures.json has them, and a caption that names the
 * runs of every slot.
 */
import { UserError } from '../../../shared/errors';
import {
  FIGURE_TEMPLATES,
  findTemplate,
  PAPER_CAPTION,
  panelSlots,
  slotTitle,
  type FigureTemplate,
  type TemplatePanel,
} from '../../../shared/figureTemplates';
import type { PlotFigure, PlotPanel, TemplateInfo, TemplateSpec } from '../../../shared/plots';
import { activationChangePanel } from './activationChange';
import type { FigureContext } from './compareRuns';
import { etaPanel } from './etaPanel';
import { hasPaperCurves } from './paperCurves';
import { ridgePanel } from './ridgePanel';
import { bandPanel, metricPanel, type LineOptions } from './templateLines';
import { defaultSlots, resolveSlots, type FilledSlot } from './templateSlots';

export function requireTemplate(name: string): FigureTemplate {
  const template = findTemplate(name);
  if (!template) {
    throw new UserError(
      'usage',
      `unknown figure template "${name}"; the templates are: ${FIGURE_TEMPLATES.map((t) => t.name).join(', ')}`,
    );
  }
  return template;
}

/** Whether the paper's curves exist for some panel of the template. */
function templateHasPaper(template: FigureTemplate): boolean {
  return template.panels.some(
    (p) =>
      (p.kind === 'metric' || p.kind === 'band') &&
      p.paper &&
      hasPaperCurves(p.paper, panelSlots(template, p)),
  );
}

/** Every template with the stored runs that fill its slots by default. */
export function listTemplates(ctx: FigureContext): TemplateInfo[] {
  const runs = ctx.store.listRuns();
  return FIGURE_TEMPLATES.map((template) => ({
    name: template.name,
    figure: template.figure,
    title: template.title,
    description: template.description,
    slots: defaultSlots(ctx, template, runs).map((s) => ({ label: s.label, runIds: s.runIds })),
    panels: template.panels.map((p) => ({ key: p.key, title: p.title })),
    paper: templateHasPaper(template),
  }));
}

function buildPanel(
  ctx: FigureContext,
  template: FigureTemplate,
  def: TemplatePanel,
  filled: readonly FilledSlot[],
  options: LineOptions,
): PlotPanel {
  const slots = panelSlots(template, def).map((label) => filled.find((s) => s.label === label) as FilledSlot);
  switch (def.kind) {
    case 'metric':
      return metricPanel(ctx, def, slots, options);
    case 'band':
      return bandPanel(ctx, def, slots, options);
    case 'ridge':
      return ridgePanel(ctx, def, slots[0] as FilledSlot);
    case 'eta':
      return etaPanel(ctx, def, slots[0] as FilledSlot);
    case 'change':
      return activationChangePanel(ctx, def, slots, { band: options.band, range: options.range });
  }
}

/** The caption: the runs of each slot, the smoothing, the paper's curves' source. */
function caption(
  template: FigureTemplate,
  filled: readonly FilledSlot[],
  spec: TemplateSpec,
  paper: boolean,
): string {
  const runs = filled
    .map((s) => {
      const ids = s.runIds.length > 0 ? s.runIds.join(', ') : 'no runs';
      return `${slotTitle(s.label)}: ${s.source ? `${s.source} ` : ''}(${ids})`;
    })
    .join('; ');
  return [
    `${template.title}.`,
    `Runs: ${runs}.`,
    ...(spec.smoothing > 0 ? [`Smoothing: debiased EMA, alpha ${spec.smoothing}.`] : []),
    ...(paper ? [`${PAPER_CAPTION}.`] : []),
  ].join(' ');
}

export function buildTemplateFigure(
  ctx: FigureContext,
  spec: TemplateSpec,
  panelWidthPx: number,
): PlotFigure {
  const template = requireTemplate(spec.template);
  const filled = resolveSlots(ctx, template, spec.slots);
  const options: LineOptions = {
    // Each panel reads about one bucket per pixel column of its own width (the contract's width).
    widthPx: Math.max(50, Math.floor(panelWidthPx)),
    band: spec.band,
    smoothing: spec.smoothing,
    range: spec.range,
    paper: spec.paper,
  };
  const panels = template.panels.map((def) => buildPanel(ctx, template, def, filled, options));
  const paper = panels.some((p) => p.lines.some((l) => l.role === 'paper'));
  return {
    title: template.title,
    columns: template.columns,
    panels,
    caption: caption(template, filled, spec, paper),
  };
}
