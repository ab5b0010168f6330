/**
 * The few colour operations figures need, on #rgb, #rrggbb and rgb()/rgba() strings (what the theme's
 * CSS variables and the palettes hold): a point on a two-colour ramp, and a colour at an opacity.
 */

type Rgba = [number, number, number, number];

export function parseColor(color: string): Rgba | null {
  const text = color.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(text);
  if (hex) {
    const digits = hex[1] as string;
    const full = digits.length === 3 ? [...digits].map((c) => c + c).join('') : digits;
    const n = parseInt(full, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 1];
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+))?\s*\)$/i.exec(text);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
  return null;
}

function hex2(v: number): string {
  return Math.round(Math.min(255, Math.max(0, v)))
    .toString(16)
    .padStart(2, '0');
}

/**
 * The colour at t in [0, 1] between `from` and `to`, interpolated per sRGB channel (#rrggbb). A colour
 * that cannot be parsed (a named colour) is returned as it is: `from` below the middle, else `to`.
 */
export function rampColor(from: string, to: string, t: number): string {
  const a = parseColor(from);
  const b = parseColor(to);
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  if (a === null || b === null) return u < 0.5 ? from : to;
  return `#${[0, 1, 2].map((i) => hex2((a[i] as number) + ((b[i] as number) - (a[i] as number)) * u)).join('')}`;
}
