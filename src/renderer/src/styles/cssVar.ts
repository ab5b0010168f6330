/** A design token of styles/theme.css as the page currently resolves it (ECharts needs colours, not var()). */
export function cssVar(name: `--nl-${string}`, element: Element = document.documentElement): string {
  return getComputedStyle(element).getPropertyValue(name).trim();
}
