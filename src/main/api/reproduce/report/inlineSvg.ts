/**
 * An exported figure's SVG document as an element of the report's page. In one HTML document every
 * id is global: two figures' clip paths named alike (ECharts numbers them per render) would clip each
 * other's lines, so each figure's ids get its own prefix. The prolog goes (an XML declaration is not
 * allowed inside HTML), and so does ECharts' <style> (hover rules for an interactive chart, which in a
 * page would leak to every figure).
 */
import { escapeHtml } from '../../../../shared/html';

/** Names safe in an id and a CSS selector: letters, digits, `-` and `_`. */
function idPrefix(prefix: string): string {
  return prefix.replace(/[^A-Za-z0-9_-]/g, '-');
}

export function inlineSvg(svg: string, prefix: string, label: string): string {
  const p = idPrefix(prefix);
  const body = svg
    .replace(/<\?xml[\s\S]*?\?>/g, '')
    .replace(/<!DOCTYPE[\s\S]*?>/gi, '')
    .replace(/<style\b[\s\S]*?<\/style>/gi, '')
    .trim();
  const ids = new Set([...body.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1] as string));
  const renamed = (id: string): string => (ids.has(id) ? `${p}-${id}` : id);
  return body
    .replace(/(\sid=")([^"]+)"/g, (_, head: string, id: string) => `${head}${renamed(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${renamed(id)})`)
    .replace(/(href=")#([^"]+)"/g, (_, head: string, id: string) => `${head}#${renamed(id)}"`)
    .replace(/^<svg\b/, `<svg role="img" aria-label="${escapeHtml(label)}"`);
}
