/**
 * Figures as data: what the compare view and the figure templates draw, and what the exports render.
 * The main process assembles a PlotFigure from stored runs (src/main/api/figures); the renderer and
 * the exports turn it into one ECharts option with the same function (plotOption.ts), so the window
 * and an exported SVG/PDF/PNG show the same thing. CSV/JSON exports write these numbers as they are.
 *
 * Spec -> figure: a FigureSpec says what to show (a compare of runs, or a paper figure template with
 * runs per slot); `figures.build` answers the PlotFigure for a width in pixels, `figures.export` a
 * file of it.
 */
import { z } from 'zod';
import { anyNumber } from './numbers';

export const X_AXES = ['step', 'epoch', 'time'] as const;
export type XAxis = (typeof X_AXES)[number];
export const AXIS_SCALES = ['linear', 'log'] as const;
export type AxisScale = (typeof AXIS_SCALES)[number];
/** A group's band over its runs (seeds): min to max, or mean +- one standard deviation. */
export const BAND_KINDS = ['minmax', 'std'] as const;
export type BandKind = (typeof BAND_KINDS)[number];
export const EXPORT_FORMATS = ['svg', 'pdf', 'png', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Common journal figure widths: one column is 3.3 in, two columns 7 in. */
export const FIGURE_WIDTH_MM = { oneColumn: 3.3 * 25.4, twoColumn: 7 * 25.4 } as const;

const values = z.array(anyNumber);
const step = z.number().int().nonnegative();
const id = z.string().min(1).max(200);
/** EMA smoothing factor alpha in [0, 1): 0 = off (shared/ema.ts). */
const smoothing = z.number().min(0).max(0.999).default(0);

// ---- the figure as data --------------------------------------------------------------------------

export const plotLineSchema = z.object({
  /** Unique within its panel. */
  key: z.string(),
  /** Legend text; a group says its run count, e.g. "batch (n=3)". */
  label: z.string(),
  /**
   * 'line': a run, or a group's mean; 'raw': the unsmoothed series under a smoothed line (drawn faint,
   * not in the legend); 'paper': the paper's published curve (dashed).
   */
  role: z.enum(['line', 'raw', 'paper']),
  /** Palette slot: the lines of one run or group share it in every panel (and their raw/paper lines). */
  color: z.number().int().nonnegative(),
  /** Panels with palette 'sequential' (one curve per probed step): the position on the ramp, 0..1. */
  shade: z.number().min(0).max(1).optional(),
  runIds: z.array(z.string()),
  /** The training step of each point (empty when x is not step-based, e.g. eta curves). */
  steps: z.array(step),
  /** x and y of each point; NaN or +-Infinity is a gap (y) and is never drawn. */
  x: values,
  y: values,
  /** A band around the line at the same x: a group's spread over seeds, or a probe's min..max. */
  band: z.object({ lo: values, hi: values }).optional(),
  /** A diverged run: where its line ends, and the step it diverged at. */
  end: z.object({ x: anyNumber, y: anyNumber, step, text: z.string() }).optional(),
});
export type PlotLine = z.infer<typeof plotLineSchema>;

/** One row of a ridge plot: a histogram of a probed unit's values at one logged step. */
export const ridgeRowSchema = z.object({
  step,
  edges: values,
  counts: z.array(z.number().nonnegative()),
});
export type RidgeRow = z.infer<typeof ridgeRowSchema>;

/** What a panel's x axis measures; panels of one figure with the same step-based kind zoom together. */
export const PANEL_X_KINDS = ['step', 'epoch', 'time', 'eta', 'value'] as const;
export type PanelXKind = (typeof PANEL_X_KINDS)[number];

export const plotPanelSchema = z.object({
  key: z.string(),
  title: z.string(),
  /** 'lines': lines and bands in x/y; 'ridge': ridges (histograms stacked by step), x = value. */
  kind: z.enum(['lines', 'ridge']),
  xKind: z.enum(PANEL_X_KINDS),
  xLabel: z.string(),
  yLabel: z.string(),
  xScale: z.enum(AXIS_SCALES),
  yScale: z.enum(AXIS_SCALES),
  /** 'categorical': colour by the lines' palette slot; 'sequential': by their shade (early to late). */
  palette: z.enum(['categorical', 'sequential']),
  lines: z.array(plotLineSchema),
  ridges: z.array(ridgeRowSchema),
  /** Said with the panel (and in exports): smoothing, runs without this series, what is missing. */
  notes: z.array(z.string()),
  /**
   * Points stored in the shown range against points drawn, over the panel's lines; `drawn < stored`
   * means the view is downsampled (min/max/last buckets). Null for panels not read from series.
   */
  sampling: z
    .object({ stored: z.number().int().nonnegative(), drawn: z.number().int().nonnegative() })
    .nullable(),
  /** The x range shown, in the panel's x units (a zoom); null = everything. */
  xRange: z.tuple([anyNumber, anyNumber]).nullable(),
});
export type PlotPanel = z.infer<typeof plotPanelSchema>;

export const plotFigureSchema = z.object({
  title: z.string(),
  /** Panels per row. */
  columns: z.number().int().min(1).max(6),
  panels: z.array(plotPanelSchema),
  /** Under the figure in exports: the runs, the smoothing factor, the paper overlay's source. */
  caption: z.string(),
});
export type PlotFigure = z.infer<typeof plotFigureSchema>;

// ---- what to show -------------------------------------------------------------------------------

export const comparePanelSpecSchema = z
  .object({
    /** A stored series name, e.g. `train/loss` or `probe/ics/layer5/l2`. */
    metric: z.string().min(1).max(300),
    xScale: z.enum(AXIS_SCALES).default('linear'),
    yScale: z.enum(AXIS_SCALES).default('linear'),
  })
  .strict();
export type ComparePanelSpec = z.input<typeof comparePanelSpecSchema>;

/** Runs side by side: one panel per metric, every run (or group of runs) a line in each. */
export const compareSpecSchema = z
  .object({
    kind: z.literal('compare'),
    runIds: z.array(id).min(1).max(200),
    panels: z.array(comparePanelSpecSchema).min(1).max(12),
    x: z.enum(X_AXES).default('step'),
    /** The zoom, in x units (steps, epochs or seconds since the run started). */
    range: z.tuple([z.number(), z.number()]).optional(),
    /**
     * Config keys (dotted paths, e.g. `model.normalization`, `optimizer.lr`): runs with equal values
     * form one line, the mean with a band. Empty: one line per run.
     */
    groupBy: z.array(z.string().min(1).max(200)).max(8).default([]),
    band: z.enum(BAND_KINDS).default('minmax'),
    smoothing,
    columns: z.number().int().min(1).max(4).default(2),
    title: z.string().max(200).optional(),
  })
  .strict();
export type CompareSpec = z.output<typeof compareSpecSchema>;

/** A paper figure (shared/figureTemplates.ts) filled with runs. */
export const templateSpecSchema = z
  .object({
    kind: z.literal('template'),
    /** The template's name: `fig1`, `fig3a`, ... */
    template: z.string().min(1).max(50),
    /** Runs per slot label; slots left out are filled with the stored runs named FIGURE/LABEL. */
    slots: z.record(z.string(), z.array(id).max(100)).default({}),
    /** Overlay the paper's own curves where the paper has them (../shared/data/paper/figures.json). */
    paper: z.boolean().default(true),
    smoothing,
    band: z.enum(BAND_KINDS).default('minmax'),
    /** The zoom of the step-based panels, in steps. */
    range: z.tuple([z.number(), z.number()]).optional(),
  })
  .strict();
export type TemplateSpec = z.output<typeof templateSpecSchema>;

export const figureSpecSchema = z.discriminatedUnion('kind', [compareSpecSchema, templateSpecSchema]);
export type FigureSpec = z.output<typeof figureSpecSchema>;
export type FigureSpecInput = z.input<typeof figureSpecSchema>;

/** The printed size of an export, and the PNG's resolution. */
export const exportSizeSchema = z
  .object({
    widthMm: z.number().min(20).max(600).default(FIGURE_WIDTH_MM.twoColumn),
    /** Default: from the figure's rows (about 55 mm per row at two-column width). */
    heightMm: z.number().min(20).max(600).optional(),
    dpi: z.number().int().min(36).max(2400).default(300),
  })
  .strict();
export type ExportSize = z.output<typeof exportSizeSchema>;

// ---- templates as the API lists them ------------------------------------------------------------

export const templateInfoSchema = z.object({
  name: z.string(),
  figure: z.string(),
  title: z.string(),
  description: z.string(),
  /** Slot labels in order, each with the runs it is filled with by default (empty: none stored). */
  slots: z.array(z.object({ label: z.string(), runIds: z.array(z.string()) })),
  panels: z.array(z.object({ key: z.string(), title: z.string() })),
  /** Whether the paper's curves exist for some panel. */
  paper: z.boolean(),
});
export type TemplateInfo = z.infer<typeof templateInfoSchema>;

export const figureFileSchema = z.object({
  fileName: z.string(),
  mime: z.string(),
  bytes: z.number().int().nonnegative(),
  /** The file's content, base64 (binary formats too, so one shape crosses IPC and WebSocket). */
  base64: z.string(),
});
export type FigureFile = z.infer<typeof figureFileSchema>;
