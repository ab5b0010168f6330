/**
 * The text under an exported figure: its caption, then what its panels say (notes: smoothing, runs
 * without a series, values a log axis cannot show) and where a panel is downsampled, so a reader of
 * the exported file knows what is drawn without the app.
 */
import type { PlotFigure } from './plots';

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * Paragraphs: the caption; the notes every panel shares, once; then each panel's own notes and
 * sampling, prefixed by its title. Empty when there is nothing to say.
 */
export function captionParagraphs(figure: PlotFigure): string[] {
  const out: string[] = [];
  if (figure.caption.trim() !== '') out.push(figure.caption.trim());
  const panels = figure.panels;
  const shared =
    panels.length > 1 ? (panels[0]?.notes ?? []).filter((n) => panels.every((p) => p.notes.includes(n))) : [];
  if (shared.length > 0) out.push(shared.join('; '));
  for (const p of panels) {
    const own = p.notes.filter((n) => !shared.includes(n));
    if (p.sampling !== null && p.sampling.drawn < p.sampling.stored) {
      own.push(
        `${count(p.sampling.drawn)} of ${count(p.sampling.stored)} points drawn (min/max/last per bucket)`,
      );
    }
    if (own.length > 0) out.push(`${p.title || p.key}: ${own.join('; ')}`);
  }
  return out;
}
