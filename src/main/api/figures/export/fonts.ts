/**
 * The font the PNG and PDF exports draw text with: DejaVu Sans from the system (Debian's
 * fonts-dejavu-core, which CI installs). One known font makes exports look the same on every machine
 * and lets the PDF embed it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where distributions put DejaVu Sans: Debian/Ubuntu, Fedora, Arch. */
export const DEJAVU_DIRS: readonly string[] = [
  '/usr/share/fonts/truetype/dejavu',
  '/usr/share/fonts/dejavu-sans-fonts',
  '/usr/share/fonts/TTF',
];

export interface FigureFont {
  regular: string;
  /** Panel titles are bold; without this file they fall back to the regular face. */
  bold: string | null;
}

/** DejaVu Sans on this system, or null. `regularFile` overrides the search (its bold is not sought). */
export function findFigureFont(regularFile?: string): FigureFont | null {
  if (regularFile !== undefined) return existsSync(regularFile) ? { regular: regularFile, bold: null } : null;
  for (const dir of DEJAVU_DIRS) {
    const regular = join(dir, 'DejaVuSans.ttf');
    if (!existsSync(regular)) continue;
    const bold = join(dir, 'DejaVuSans-Bold.ttf');
    return { regular, bold: existsSync(bold) ? bold : null };
  }
  return null;
}

export function missingFontMessage(regularFile?: string): string {
  const looked =
    regularFile !== undefined ? [regularFile] : DEJAVU_DIRS.map((dir) => join(dir, 'DejaVuSans.ttf'));
  return (
    `The DejaVu Sans font was not found (looked for ${looked.join(', ')}). ` +
    'Install it (Debian/Ubuntu: apt-get install fonts-dejavu-core) so exported figures can embed it.'
  );
}
