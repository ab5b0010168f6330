import { describe, expect, it } from 'vitest';
import { inlineSvg } from '../../../../../src/main/api/reproduce/report/inlineSvg';

const SVG = `<?xml version="1.0" encoding="UTF-8"?>
<svg width="10" height="10" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<defs><clipPath id="zr1-c0"><path d="M0 0h5v5z"/></clipPath><linearGradient id="g"/></defs>
<path clip-path="url(#zr1-c0)" fill="url(#g)" d="M0 0"/><use xlink:href="#g"/><a href="#elsewhere">x</a>
<style><![CDATA[.zr1-cls-1:hover { fill: black; }]]></style>
</svg>`;

describe('an SVG inlined into the page', () => {
  const out = inlineSvg(SVG, 'fig3a', 'Fig 3a: "ICS"');

  it('gives every id the figure prefix and follows the references to them', () => {
    expect(out).toContain('id="fig3a-zr1-c0"');
    expect(out).toContain('id="fig3a-g"');
    expect(out).toContain('clip-path="url(#fig3a-zr1-c0)"');
    expect(out).toContain('fill="url(#fig3a-g)"');
    expect(out).toContain('xlink:href="#fig3a-g"');
    // A reference to an id the SVG does not define is left as it is.
    expect(out).toContain('href="#elsewhere"');
    expect(out).not.toMatch(/id="zr1-c0"|url\(#zr1-c0\)/);
  });

  it('drops the XML prolog and the hover styles, and labels the image (escaped)', () => {
    expect(out.startsWith('<svg role="img" aria-label="Fig 3a: &quot;ICS&quot;" width="10"')).toBe(true);
    expect(out).not.toContain('<?xml');
    expect(out).not.toContain('<style');
    expect(out.endsWith('</svg>')).toBe(true);
  });

  it('keeps two figures with the same ids apart', () => {
    const other = inlineSvg(SVG, 'fig4', 'Fig 4');
    expect(other).toContain('id="fig4-zr1-c0"');
    expect(other).not.toContain('fig3a');
  });
});
