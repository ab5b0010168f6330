/**
 * Where the parts of a figure go, in pixels of a canvas `width` x `height`: the figure title, the
 * legend, one cell per panel in `columns` columns (the panel title above, then the box its axes, tick
 * labels and axis names must fit in), the caption under it all. Text sizes are estimated from the
 * font size (no canvas to measure with in the main process), generously, so text does not collide.
 */
import type { PlotLook } from './plotLook';

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface LayoutInput {
  panels: number;
  columns: number;
  title: boolean;
  /** Legend entries; none: no legend. */
  legend: readonly string[];
  /** One row of legend that scrolls (the window) instead of rows that wrap (an export). */
  legendScroll: boolean;
  /** Per panel: whether its title has a second line (a sequential panel's ramp). */
  subtitles: readonly boolean[];
  /** Paragraphs under the figure; none: no caption. */
  caption: readonly string[];
}

export interface FigureLayout {
  /** The top of the figure title, or null. */
  titleTop: number | null;
  legend: { top: number; width: number; rows: number } | null;
  /** Per panel: the title's anchor (centred) and the box of its axes with labels and names. */
  panels: { titleCenter: number; titleTop: number; box: Box }[];
  /** The caption's lines (wrapped to the width) and the top of the first, or null. */
  caption: { top: number; lines: string[]; lineHeight: number } | null;
}

/**
 * Advance widths of DejaVu Sans (the exports' font), in thousandths of an em, for ASCII 32..126 (read
 * from DejaVuSans.ttf). Screen fonts are mostly narrower, so text measured so fits there too.
 */
// prettier-ignore
const DEJAVU_ASCII = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636,
  636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775,
  752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390,
  337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
  635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];
/** Other characters (Greek, arrows, accented letters): about as wide as the wide Latin capitals. */
const OTHER_WIDTH = 840;
const LINE = 1.3;

/** The width of a line of regular text in px, as DejaVu Sans sets it (no kerning). */
export function textWidthPx(text: string, fontSize: number): number {
  let units = 0;
  for (const ch of text) units += DEJAVU_ASCII[(ch.codePointAt(0) ?? 0) - 32] ?? OTHER_WIDTH;
  return (units / 1000) * fontSize;
}

/** `text` broken at spaces into lines of at most `width` px (a longer word keeps a line of its own). */
export function wrapText(text: string, fontSize: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter((w) => w !== '')) {
      const next = line === '' ? word : `${line} ${word}`;
      if (line !== '' && textWidthPx(next, fontSize) > width) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    lines.push(line);
  }
  return lines;
}

/** Legend metrics shared by the layout and the option. */
export function legendMetrics(look: PlotLook): { itemWidth: number; itemHeight: number; itemGap: number } {
  const fs = look.fontSize.tick;
  return { itemWidth: Math.round(fs * 2), itemHeight: Math.round(fs * 0.9), itemGap: Math.round(fs * 0.8) };
}

function legendRows(labels: readonly string[], look: PlotLook, width: number): number {
  const { itemWidth, itemGap } = legendMetrics(look);
  let rows = 1;
  let x = 0;
  for (const label of labels) {
    // ECharts puts 5 px between the icon and the text.
    const w = itemWidth + 5 + textWidthPx(label, look.fontSize.tick);
    if (x > 0 && x + w > width) {
      rows++;
      x = 0;
    }
    x += w + itemGap;
  }
  return rows;
}

interface Frame {
  pad: number;
  gapX: number;
  gapY: number;
  titleTop: number | null;
  legend: FigureLayout['legend'];
  panelsTop: number;
  caption: { lines: string[]; lineHeight: number; height: number } | null;
  cellWidth: number;
  rows: number;
  /** The height of a panel's title line(s), per panel. */
  titleHeights: number[];
}

export function figureTitleSize(look: PlotLook): number {
  return look.fontSize.title * 1.2;
}

function frame(input: LayoutInput, look: PlotLook, width: number): Frame {
  const fs = look.fontSize;
  const pad = Math.round(fs.tick * 0.8);
  const gapX = Math.round(fs.tick * 1.5);
  const gapY = Math.round(fs.tick * 1.2);
  const inner = Math.max(1, width - 2 * pad);
  let y = pad;
  let titleTop: number | null = null;
  if (input.title) {
    titleTop = y;
    y += figureTitleSize(look) * LINE + pad / 2;
  }
  let legend: FigureLayout['legend'] = null;
  if (input.legend.length > 0) {
    const rows = input.legendScroll ? 1 : legendRows(input.legend, look, inner);
    legend = { top: y, width: inner, rows };
    const { itemHeight, itemGap } = legendMetrics(look);
    // ECharts stacks wrapped legend rows by the tallest item plus itemGap.
    const rowHeight = Math.max(itemHeight, fs.tick * 1.2);
    y += rows * rowHeight + (rows - 1) * itemGap + pad;
  }
  let caption: Frame['caption'] = null;
  if (input.caption.length > 0) {
    const lines = input.caption.flatMap((p) => wrapText(p, fs.tick, inner));
    const lineHeight = Math.round(fs.tick * LINE);
    caption = { lines, lineHeight, height: lines.length * lineHeight + pad };
  }
  const columns = Math.max(1, Math.min(input.columns, Math.max(1, input.panels)));
  const cellWidth = Math.max(1, (inner - (columns - 1) * gapX) / columns);
  const titleHeights = Array.from(
    { length: input.panels },
    (_, i) => fs.title * LINE + (input.subtitles[i] === true ? fs.tick * LINE : 0) + 2,
  );
  return {
    pad,
    gapX,
    gapY,
    titleTop,
    legend,
    panelsTop: y,
    caption,
    cellWidth,
    rows: Math.ceil(input.panels / columns),
    titleHeights,
  };
}

/** The room under and left of a plot for tick labels and an axis name (what the box holds besides). */
function axisRoom(look: PlotLook): number {
  return (look.fontSize.tick + look.fontSize.axisName) * LINE + 10;
}

/**
 * The natural height of the figure at `width`: each row's plots about 0.6 as tall as wide (120 to 300
 * px), so a row of three panels at two-column width still has room for its rotated axis names.
 */
export function naturalHeight(input: LayoutInput, look: PlotLook, width: number): number {
  const f = frame(input, look, width);
  if (input.panels === 0) return Math.round(f.panelsTop + (f.caption?.height ?? 0) + f.pad);
  const columns = Math.max(1, Math.min(input.columns, input.panels));
  const plot = Math.min(300, Math.max(120, f.cellWidth * 0.6));
  let rowsHeight = 0;
  for (let r = 0; r < f.rows; r++) {
    const titles = f.titleHeights.slice(r * columns, (r + 1) * columns);
    rowsHeight += Math.max(...titles) + plot + axisRoom(look);
  }
  rowsHeight += (f.rows - 1) * f.gapY;
  return Math.round(f.panelsTop + rowsHeight + (f.caption?.height ?? 0) + f.pad);
}

export function figureLayout(
  input: LayoutInput,
  look: PlotLook,
  size: { width: number; height: number },
): FigureLayout {
  const f = frame(input, look, size.width);
  const columns = Math.max(1, Math.min(input.columns, Math.max(1, input.panels)));
  const captionHeight = f.caption?.height ?? 0;
  const available = size.height - f.pad - captionHeight - f.panelsTop - (f.rows - 1) * f.gapY;
  // A canvas too small for its text still gets a sliver per row, rather than boxes of negative size.
  const rowHeight = Math.max(20, f.rows > 0 ? available / f.rows : 0);
  const panels = Array.from({ length: input.panels }, (_, i) => {
    const col = i % columns;
    const row = Math.floor(i / columns);
    const left = f.pad + col * (f.cellWidth + f.gapX);
    const top = f.panelsTop + row * (rowHeight + f.gapY);
    // Titles of one row share a height so the plots of a row line up.
    const titleHeight = Math.max(...f.titleHeights.slice(row * columns, (row + 1) * columns));
    return {
      titleCenter: left + f.cellWidth / 2,
      titleTop: top,
      box: {
        left,
        top: top + titleHeight,
        width: f.cellWidth,
        height: Math.max(10, rowHeight - titleHeight),
      },
    };
  });
  const caption =
    f.caption === null
      ? null
      : {
          top: f.panelsTop + f.rows * rowHeight + (f.rows > 0 ? (f.rows - 1) * f.gapY : 0) + f.pad / 2,
          lines: f.caption.lines,
          lineHeight: f.caption.lineHeight,
        };
  return { titleTop: f.titleTop, legend: f.legend, panels, caption };
}
