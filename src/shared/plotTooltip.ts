/**
 * The window's axis tooltip over a figure: the x value with the panel's x name, then each line's and
 * paper curve's value at it (raw lines, bands, markers and ridges left out; their ids say which).
 */
import { escapeHtml } from './html';
import { formatTick } from './plotTicks';

interface TooltipParam {
  seriesId?: string;
  seriesName?: string;
  marker?: unknown;
  value?: unknown;
  axisIndex?: number;
  axisValue?: unknown;
}

export function axisTooltip(params: unknown, xLabels: readonly string[]): string {
  const list = (Array.isArray(params) ? params : [params]) as TooltipParam[];
  const shown = list.filter((p) => /:(line|paper)$/.test(p.seriesId ?? '') && Array.isArray(p.value));
  const first = shown[0] ?? list[0];
  if (first === undefined) return '';
  const x = first.axisValue;
  const head =
    typeof x === 'number' ? `${escapeHtml(xLabels[first.axisIndex ?? 0] ?? '')} ${formatTick(x)}`.trim() : '';
  const rows = shown.map((p) => {
    const y = (p.value as unknown[])[1];
    const marker = typeof p.marker === 'string' ? p.marker : '';
    return `${marker}${escapeHtml(p.seriesName ?? '')} <b>${typeof y === 'number' ? formatTick(y) : '—'}</b>`;
  });
  return [head, ...rows].filter((r) => r !== '').join('<br/>');
}
