/**
 * The report's figures: each template the plan covers, filled with the reproduction's own runs (each
 * slot given explicitly, an empty slot as an empty list, so the default fill never brings in other
 * runs of the same name), the paper's curves overlaid and each slot's band min to max over its seeds,
 * exported at the default (two-column) width as SVG, PNG at the report's DPI, and PDF.
 */
import { findTemplate } from '../../../../shared/figureTemplates';
import {
  exportSizeSchema,
  templateSpecSchema,
  type ExportFormat,
  type TemplateSpec,
} from '../../../../shared/plots';
import type { ReproResults } from '../../../../shared/reproduce';
import type { FigureContext } from '../../figures/compareRuns';
import { exportFigure } from '../../figures/figureExport';

/** The formats written per figure, in the order the page links them. */
export const FIGURE_FORMATS = ['png', 'pdf', 'svg'] as const satisfies readonly ExportFormat[];
export type ReportFigureFormat = (typeof FIGURE_FORMATS)[number];

/** Where the figures go, relative to the report's folder. */
export const FIGURES_DIR = 'figures';

export interface ReportFigure {
  template: string;
  title: string;
  description: string;
  /** Each format's file, relative to the report's folder. */
  files: Record<ReportFigureFormat, string>;
  /** Run ids per slot label, as the figure was filled. */
  slots: Record<string, string[]>;
  /** The SVG document (the same bytes as the .svg file). */
  svg: string;
}

function requireTemplate(name: string) {
  const template = findTemplate(name);
  // The plan's templates come from FIGURE_TEMPLATES: a name it lacks is a bug, not a user mistake.
  if (!template) throw new Error(`the reproduction plan names an unknown figure template ${name}`);
  return template;
}

/** The template filled with the reproduction's runs: every slot explicit, paper on, band min-max. */
export function reportFigureSpec(results: ReproResults, templateName: string): TemplateSpec {
  const template = requireTemplate(templateName);
  const slots = Object.fromEntries(
    template.slots.map((label) => [label, [...(results.runsBySlot[`${template.name}/${label}`] ?? [])]]),
  );
  return templateSpecSchema.parse({
    kind: 'template',
    template: template.name,
    slots,
    paper: true,
    band: 'minmax',
  });
}

/**
 * Exports every template of the plan, one after another (a PNG holds its whole bitmap in memory),
 * handing each file to `write` as it is made.
 */
export async function exportReportFigures(
  ctx: FigureContext,
  results: ReproResults,
  dpi: number,
  write: (relPath: string, bytes: Buffer) => void,
): Promise<ReportFigure[]> {
  const size = exportSizeSchema.parse({ dpi });
  const out: ReportFigure[] = [];
  for (const name of results.plan.templates) {
    const template = requireTemplate(name);
    const spec = reportFigureSpec(results, name);
    const files: Record<ReportFigureFormat, string> = {
      png: `${FIGURES_DIR}/${name}.png`,
      pdf: `${FIGURES_DIR}/${name}.pdf`,
      svg: `${FIGURES_DIR}/${name}.svg`,
    };
    let svg = '';
    for (const format of FIGURE_FORMATS) {
      const file = await exportFigure(ctx, spec, format, size);
      const bytes = Buffer.from(file.base64, 'base64');
      write(files[format], bytes);
      if (format === 'svg') svg = bytes.toString('utf8');
    }
    out.push({
      template: name,
      title: template.title,
      description: template.description,
      files,
      slots: spec.slots,
      svg,
    });
  }
  return out;
}
