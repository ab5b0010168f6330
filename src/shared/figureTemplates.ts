/**
 * Every figure of PAPER.md section 5, and Fig 9 (the DLN's activation distributions, layers 1, 11 and
 * 24), as a template: its panels laid out as in the paper, and slots
 * (the figure's run labels, shared/figures.ts) that stored runs fill. A slot is filled by default with
 * the runs named SOURCE/LABEL, SOURCE being one of the template's figure presets (`fig4`, `fig4-cpu`;
 * fig 8 also takes fig 2's runs, its runs being "as fig 2"). The main process turns a template and
 * its filled slots into a PlotFigure (src/main/api/figures/templateFigure.ts).
 *
 * Pure data: no store, no zod; the renderer may import it.
 */
import { FIGURES } from './figures';
import type { AxisScale, FigureSpec } from './plots';

/**
 * Where a panel's paper curves are in figures.json: entries of `figure` and `panel` whose `series`
 * is a slot's label (less `strip`, e.g. fig 5's `dln25-plain` is the paper's `plain`). `percent`: the
 * paper gives the values in % where the runs store a fraction (accuracy), so they are divided by 100.
 */
export interface PaperRef {
  figure: string;
  panel: string;
  strip?: string;
  percent?: boolean;
}

interface PanelBase {
  key: string;
  title: string;
}

/** A stored series, one line per slot (mean and band over its runs). */
export interface MetricPanel extends PanelBase {
  kind: 'metric';
  series: string;
  yLabel: string;
  yScale: AxisScale;
  /** The slots drawn; default every slot of the template. */
  slots?: readonly string[];
  paper?: PaperRef;
}

/** The band between two stored series (a probe's min and max over its eta grid), one per slot. */
export interface BandPanel extends PanelBase {
  kind: 'band';
  lo: string;
  hi: string;
  yLabel: string;
  yScale: AxisScale;
  paper?: PaperRef;
}

/** The activation histograms of one layer's probed unit in one slot, stacked by step. */
export interface RidgePanel extends PanelBase {
  kind: 'ridge';
  slot: string;
  layer: number;
}

/** |x_k - x_{k-1}| between logged steps of a layer's probed unit's mean or variance, every slot. */
export interface ChangePanel extends PanelBase {
  kind: 'change';
  layer: number;
  moment: 'mean' | 'var';
  yLabel: string;
}

/** The landscape probe's gradient change against eta in one slot, one curve per probed step. */
export interface EtaPanel extends PanelBase {
  kind: 'eta';
  slot: string;
  yScale: AxisScale;
}

export type TemplatePanel = MetricPanel | BandPanel | RidgePanel | ChangePanel | EtaPanel;

export interface FigureTemplate {
  /** `fig1`, `fig3a`, ... */
  name: string;
  /** The paper's figure number, e.g. "3a". */
  figure: string;
  title: string;
  description: string;
  /** Figure presets whose runs fill the slots by default (shared/figures.ts names). */
  sources: readonly string[];
  /** Slot labels in order: a slot's palette colour is its position (per panel's slot list). */
  slots: readonly string[];
  columns: number;
  panels: readonly TemplatePanel[];
}

/** The caption's line for the paper's curves. */
export const PAPER_CAPTION = 'dashed: Santurkar et al. 2018, read off the published figures';

const NORM_TITLES: Readonly<Record<string, string>> = {
  plain: 'standard',
  bn: 'standard + BatchNorm',
  'noisy-bn': 'standard + noisy BatchNorm',
  l1: 'standard + l1',
  l2: 'standard + l2',
  linf: 'standard + l∞',
};

/**
 * A slot label as the paper's legends say it: `vgg16-bn` -> "VGG, standard + BatchNorm",
 * `plain-lr0.1` -> "standard, LR 0.1". Labels of another shape are returned as they are.
 */
export function slotTitle(label: string): string {
  const m = /^(?:(vgg16|dln25)-)?(plain|bn|noisy-bn|l1|l2|linf)(?:-lr(.+))?$/.exec(label);
  if (!m) return label;
  const [, net, norm, lr] = m;
  const parts = [
    ...(net ? [net === 'vgg16' ? 'VGG' : 'DLN'] : []),
    `${NORM_TITLES[norm as string] as string}${lr ? `, LR ${lr}` : ''}`,
  ];
  return parts.join(', ');
}

/** The run labels of figure `figure` (shared/figures.ts; the paper and CPU scale share them). */
function figureLabels(figure: string): string[] {
  const f = FIGURES.find((x) => x.figure === figure && x.scale === 'paper');
  if (!f) throw new Error(`shared/figures.ts has no figure ${figure}`);
  return f.runs.map((r) => r.label);
}

function sourcesOf(...figures: string[]): string[] {
  return figures.flatMap((figure) => FIGURES.filter((f) => f.figure === figure).map((f) => f.name));
}

const ridge = (slot: string, layer: number): RidgePanel => ({
  kind: 'ridge',
  key: `ridge-${slot}-layer${layer}`,
  title: `${slotTitle(slot)}, layer #${layer}`,
  slot,
  layer,
});

/** What a template's accuracy or loss panel may change: its paper curves, slots, key and title. */
interface MetricOptions {
  paper?: PaperRef;
  slots?: readonly string[];
  key?: string;
  title?: string;
}

const trainAccuracy = (o: MetricOptions = {}): MetricPanel => ({
  kind: 'metric',
  key: o.key ?? 'train-accuracy',
  title: o.title ?? 'training accuracy',
  series: 'train/accuracy',
  yLabel: 'training accuracy',
  yScale: 'linear',
  ...(o.slots ? { slots: o.slots } : {}),
  ...(o.paper ? { paper: o.paper } : {}),
});

const trainLoss = (o: MetricOptions = {}): MetricPanel => ({
  kind: 'metric',
  key: o.key ?? 'train-loss',
  title: o.title ?? 'training loss',
  series: 'train/loss',
  yLabel: 'training loss',
  yScale: 'log',
  ...(o.slots ? { slots: o.slots } : {}),
  ...(o.paper ? { paper: o.paper } : {}),
});

/** Fig 3's 2x2 grid: rows are the layers, columns the l2 difference and the cosine angle. */
function icsPanels(figure: string, layers: readonly number[]): MetricPanel[] {
  return layers.flatMap((layer) => [
    {
      kind: 'metric' as const,
      key: `ics-layer${layer}-l2`,
      title: `layer #${layer}, l2 difference`,
      series: `probe/ics/layer${layer}/l2`,
      yLabel: 'ICS l2 difference',
      yScale: 'log' as const,
      paper: { figure, panel: `layer${layer}-l2` },
    },
    {
      kind: 'metric' as const,
      key: `ics-layer${layer}-cos`,
      title: `layer #${layer}, cosine angle`,
      series: `probe/ics/layer${layer}/cos`,
      yLabel: 'ICS cosine',
      yScale: 'linear' as const,
      paper: { figure, panel: `layer${layer}-cos` },
    },
  ]);
}

/**
 * Fig 4's three landscape panels. The paper draws the VGG's gradient predictiveness and beta on
 * linear axes, the DLN's (Fig 10) on log axes: its values span orders of magnitude.
 */
function landscapePanels(net: 'vgg' | 'dln', paperFigure?: string): TemplatePanel[] {
  const scale: AxisScale = net === 'vgg' ? 'linear' : 'log';
  const paper = (panel: string): { paper?: PaperRef } =>
    paperFigure ? { paper: { figure: paperFigure, panel } } : {};
  return [
    {
      kind: 'band',
      key: 'loss-landscape',
      title: 'loss landscape',
      lo: 'probe/landscape/loss_min',
      hi: 'probe/landscape/loss_max',
      yLabel: 'loss along the gradient',
      yScale: 'log',
      ...paper('a'),
    },
    {
      kind: 'band',
      key: 'gradient-predictiveness',
      title: 'gradient predictiveness',
      lo: 'probe/landscape/grad_change_min',
      hi: 'probe/landscape/grad_change_max',
      yLabel: 'gradient predictiveness (l2 change)',
      yScale: scale,
      ...paper('b'),
    },
    {
      kind: 'metric',
      key: 'effective-beta',
      title: 'effective beta-smoothness',
      series: 'probe/landscape/beta_eff',
      yLabel: 'effective beta-smoothness',
      yScale: scale,
      ...paper('c'),
    },
  ];
}

function changePanels(layers: readonly number[]): ChangePanel[] {
  return (['mean', 'var'] as const).flatMap((moment) =>
    layers.map((layer) => ({
      kind: 'change' as const,
      key: `change-layer${layer}-${moment}`,
      title: `layer #${layer}, change of ${moment === 'mean' ? 'mean' : 'variance'}`,
      layer,
      moment,
      yLabel: moment === 'mean' ? '|Δ mean|' : '|Δ variance|',
    })),
  );
}

function template(
  figure: string,
  title: string,
  description: string,
  columns: number,
  panels: (slots: readonly string[]) => TemplatePanel[],
  extraSources: readonly string[] = [],
): FigureTemplate {
  const slots = figureLabels(figure);
  return {
    name: `fig${figure}`,
    figure,
    title,
    description,
    sources: sourcesOf(figure, ...extraSources),
    slots,
    columns,
    panels: panels(slots),
  };
}

const FIVE_NORMS = ['plain', 'bn', 'l1', 'l2', 'linf'] as const;

export const FIGURE_TEMPLATES: readonly FigureTemplate[] = [
  template(
    '1',
    'Fig 1: VGG with and without BatchNorm',
    'Training and test accuracy at LR 0.1 and 0.5; the activation distributions of layers 3 and 11 at LR 0.1, standard against + BatchNorm.',
    2,
    () => [
      trainAccuracy({ paper: { figure: 'fig1', panel: 'a', percent: true } }),
      {
        kind: 'metric',
        key: 'test-accuracy',
        title: 'test accuracy',
        series: 'test/accuracy',
        yLabel: 'test accuracy',
        yScale: 'linear',
        paper: { figure: 'fig1', panel: 'b', percent: true },
      },
      ...[3, 11].flatMap((layer) => [ridge('plain-lr0.1', layer), ridge('bn-lr0.1', layer)]),
    ],
  ),
  template(
    '2',
    'Fig 2: noisy BatchNorm shifts the activations and still trains',
    'The activation distributions of layers 2, 9 and 13 (rows) for standard, + BatchNorm and + noisy BatchNorm (columns), then the training accuracy.',
    3,
    (slots) => [...[2, 9, 13].flatMap((layer) => slots.map((slot) => ridge(slot, layer))), trainAccuracy()],
  ),
  template(
    '3a',
    'Fig 3a: internal covariate shift in VGG',
    'ICS of layers 5 and 10 (rows) as the l2 difference and the cosine angle of the gradients (columns), then the training accuracy; LR 0.1 and 0.01.',
    2,
    () => [...icsPanels('fig3a', [5, 10]), trainAccuracy()],
  ),
  template(
    '3b',
    'Fig 3b: internal covariate shift in the deep linear network',
    'ICS of layers 9 and 17 (rows) as the l2 difference and the cosine angle (columns), then the training loss; LR 1e-6 and 1e-7.',
    2,
    () => [...icsPanels('fig3b', [9, 17]), trainLoss()],
  ),
  template(
    '4',
    'Fig 4: the loss landscape of VGG along the gradient',
    'The range of the loss and of the gradient change over the step sizes probed along the gradient, and the effective beta-smoothness, with and without BatchNorm.',
    3,
    () => landscapePanels('vgg', 'fig4'),
  ),
  template(
    '5',
    'Fig 5: lp normalizations train like BatchNorm',
    'Training accuracy of VGG and training loss of the deep linear network under no normalization, BatchNorm, and l1, l2 and l-infinity normalization.',
    2,
    () => [
      trainAccuracy({
        slots: FIVE_NORMS.map((n) => `vgg16-${n}`),
        key: 'train-accuracy-vgg',
        title: 'training accuracy (VGG)',
      }),
      trainLoss({
        paper: { figure: 'fig5', panel: 'b', strip: 'dln25-' },
        slots: FIVE_NORMS.map((n) => `dln25-${n}`),
        key: 'train-loss-dln',
        title: 'training loss (DLN)',
      }),
    ],
  ),
  template(
    '6',
    'Fig 6: activations under the five normalizations',
    'The activation distribution of layer 11 under each normalization: the lp variants train well with activations far from Gaussian.',
    5,
    (slots) => slots.map((slot) => ridge(slot, 11)),
  ),
  template(
    '8',
    'Fig 8: change of the activations between logged steps',
    'How much the probed unit’s mean (top) and variance (bottom) change from one logged step to the next, layers 2, 9 and 13; the runs of Fig 2.',
    3,
    () => changePanels([2, 9, 13]),
    ['2'],
  ),
  template(
    '9',
    'Fig 9: activations of the deep linear network with and without BatchNorm',
    'The activation distributions of layers 1, 11 and 24 (rows) for standard and + BatchNorm (columns), then the training loss; LR 1e-6.',
    2,
    (slots) => [...[1, 11, 24].flatMap((layer) => slots.map((slot) => ridge(slot, layer))), trainLoss()],
  ),
  template(
    '10',
    'Fig 10: the loss landscape of the deep linear network',
    'Fig 4’s landscape probes on the deep linear network, with and without BatchNorm.',
    3,
    () => landscapePanels('dln', 'fig10'),
  ),
  template(
    '11',
    'Fig 11: gradient change against the step size',
    'The gradient change along the gradient against the step size eta, one curve per probed step (light: early, dark: late).',
    2,
    (slots) =>
      slots.map((slot) => ({
        kind: 'eta' as const,
        key: `eta-${slot}`,
        title: slotTitle(slot),
        slot,
        yScale: slot.startsWith('dln25') ? ('log' as const) : ('linear' as const),
      })),
  ),
  template(
    '12',
    'Fig 12: VGG under the five normalizations',
    'Training accuracy and the three landscape probes of VGG under no normalization, BatchNorm, l1, l2 and l-infinity.',
    2,
    () => [trainAccuracy(), ...landscapePanels('vgg')],
  ),
  template(
    '13',
    'Fig 13: the deep linear network under the five normalizations',
    'Training loss and the three landscape probes of the deep linear network under no normalization, BatchNorm, l1, l2 and l-infinity.',
    2,
    () => [trainLoss(), ...landscapePanels('dln')],
  ),
];

export function findTemplate(name: string): FigureTemplate | undefined {
  return FIGURE_TEMPLATES.find((t) => t.name === name);
}

/** The slots a panel draws, in order (its colours are their positions). */
export function panelSlots(template: FigureTemplate, panel: TemplatePanel): readonly string[] {
  switch (panel.kind) {
    case 'ridge':
    case 'eta':
      return [panel.slot];
    case 'metric':
      return panel.slots ?? template.slots;
    case 'band':
    case 'change':
      return template.slots;
  }
}

/** The paper's series name for a slot label, under a panel's paper reference. */
export function paperSeriesName(ref: PaperRef, slot: string): string {
  return ref.strip && slot.startsWith(ref.strip) ? slot.slice(ref.strip.length) : slot;
}

/**
 * At most `max` of `n` items evenly spaced, the first and the last included: their indices,
 * ascending (all of them when n <= max). Ridge plots show ~12 logged steps of however many.
 */
export function evenlySpaced(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  if (max <= 1) return n > 0 ? [n - 1] : [];
  const out = new Set<number>();
  for (let k = 0; k < max; k++) out.add(Math.round((k * (n - 1)) / (max - 1)));
  return [...out];
}

/**
 * Panels per row of a spec's figure: a template's own layout, a compare's `columns` (at most one per
 * panel). `figures.build` reads each panel for its own width: the figure's width over this.
 */
export function specColumns(spec: FigureSpec): number {
  if (spec.kind === 'compare') return Math.max(1, Math.min(spec.columns, spec.panels.length));
  const template = findTemplate(spec.template);
  return template ? Math.max(1, Math.min(template.columns, template.panels.length)) : 1;
}
