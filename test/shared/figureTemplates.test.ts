import { describe, expect, it } from 'vitest';
import { experimentSchema } from '../../src/shared/config';
import {
  evenlySpaced,
  FIGURE_TEMPLATES,
  findTemplate,
  panelSlots,
  paperSeriesName,
  slotTitle,
  type FigureTemplate,
  type TemplatePanel,
} from '../../src/shared/figureTemplates';
import { FIGURES } from '../../src/shared/figures';

/** PAPER.md section 5's figures, and fig 9 (the DLN's activations). */
const PAPER_FIGURES = ['1', '2', '3a', '3b', '4', '5', '6', '8', '9', '10', '11', '12', '13'];

/** The preset config of a slot's run at CPU scale, parsed. */
function slotConfig(template: FigureTemplate, slot: string) {
  const run = FIGURES.find((f) => f.name === `fig${template.figure}-cpu`)?.runs.find((r) => r.label === slot);
  if (!run) throw new Error(`no preset fig${template.figure}-cpu/${slot}`);
  return experimentSchema.parse(run.config);
}

/** The stored series a panel reads (ridge and eta panels read records; their probe's series stand in). */
function seriesRead(panel: TemplatePanel): string[] {
  switch (panel.kind) {
    case 'metric':
      return [panel.series];
    case 'band':
      return [panel.lo, panel.hi];
    case 'change':
      return [`probe/activations/layer${panel.layer}/${panel.moment}`];
    case 'ridge':
      return [`probe/activations/layer${panel.layer}/mean`];
    case 'eta':
      return ['probe/landscape/loss_min'];
  }
}

/** Whether a run of `config` writes `series` (the engine's names, seriesCatalog.ts's header). */
function writes(config: ReturnType<typeof experimentSchema.parse>, series: string): boolean {
  const { ics, landscape, activations } = config.probes;
  const layer = Number(/layer(\d+)/.exec(series)?.[1]);
  if (series === 'train/loss') return true;
  if (series === 'train/accuracy' || series === 'test/accuracy') return config.model.network !== 'dln25';
  if (series.startsWith('probe/ics/')) return ics.every > 0 && ics.layers.includes(layer);
  if (series.startsWith('probe/landscape/')) return landscape.every > 0;
  if (series.startsWith('probe/activations/'))
    return activations.every > 0 && activations.layers.includes(layer);
  return false;
}

describe('figure templates', () => {
  it('cover every figure of PAPER.md section 5 and fig 9, named fig<N>', () => {
    expect(FIGURE_TEMPLATES.map((t) => t.figure)).toEqual(PAPER_FIGURES);
    expect(FIGURE_TEMPLATES.map((t) => t.name)).toEqual(PAPER_FIGURES.map((f) => `fig${f}`));
    expect(findTemplate('fig3b')?.figure).toBe('3b');
    expect(findTemplate('fig7')).toBeUndefined();
  });

  it("have the figure's run labels as slots and its presets (fig 8: and fig 2's) as sources", () => {
    for (const t of FIGURE_TEMPLATES) {
      const presets = FIGURES.filter((f) => f.figure === t.figure);
      expect(presets.map((f) => f.scale).sort()).toEqual(['cpu', 'paper']);
      for (const f of presets) expect(f.runs.map((r) => r.label)).toEqual(t.slots);
      const extra = t.figure === '8' ? ['fig2', 'fig2-cpu'] : [];
      expect([...t.sources].sort()).toEqual([`fig${t.figure}`, `fig${t.figure}-cpu`, ...extra].sort());
    }
    // Fig 8's runs are fig 2's: the same labels, so fig 2's runs fill its slots.
    expect(findTemplate('fig8')?.slots).toEqual(findTemplate('fig2')?.slots);
  });

  it('read only series their slots’ preset runs write (layers and probes as configured)', () => {
    for (const t of FIGURE_TEMPLATES) {
      for (const panel of t.panels) {
        const slots = panelSlots(t, panel);
        expect(slots.length, `${t.name}/${panel.key}`).toBeGreaterThan(0);
        for (const slot of slots) {
          expect(t.slots).toContain(slot);
          const config = slotConfig(t, slot);
          for (const series of seriesRead(panel))
            expect(writes(config, series), `${t.name} ${slot} ${series}`).toBe(true);
        }
      }
    }
  });

  it('lay out the panels the paper shows', () => {
    const kinds = (name: string): string[] => findTemplate(name)?.panels.map((p) => p.kind) ?? [];
    expect(kinds('fig1')).toEqual(['metric', 'metric', 'ridge', 'ridge', 'ridge', 'ridge']);
    expect(kinds('fig2').filter((k) => k === 'ridge')).toHaveLength(9);
    expect(kinds('fig4')).toEqual(['band', 'band', 'metric']);
    expect(kinds('fig6')).toEqual(Array(5).fill('ridge'));
    expect(kinds('fig8')).toEqual(Array(6).fill('change'));
    // Fig 9: a row per layer (1, 11, 24), standard then + BatchNorm, then the training loss.
    expect(findTemplate('fig9')?.columns).toBe(2);
    expect(
      findTemplate('fig9')?.panels.map((p) =>
        p.kind === 'ridge' ? `${p.slot}@${p.layer}` : p.kind === 'metric' ? p.series : p.kind,
      ),
    ).toEqual(['plain@1', 'bn@1', 'plain@11', 'bn@11', 'plain@24', 'bn@24', 'train/loss']);
    expect(kinds('fig11')).toEqual(Array(4).fill('eta'));
    expect(kinds('fig12')).toEqual(['metric', 'band', 'band', 'metric']);
    for (const t of FIGURE_TEMPLATES) {
      expect(new Set(t.panels.map((p) => p.key)).size, t.name).toBe(t.panels.length);
      expect(t.columns).toBeGreaterThanOrEqual(1);
      expect(t.columns).toBeLessThanOrEqual(6);
    }
    const fig4 = findTemplate('fig4')?.panels.map((p) => p.title);
    expect(fig4).toEqual(['loss landscape', 'gradient predictiveness', 'effective beta-smoothness']);
  });

  it('say slot labels as the paper’s legends do', () => {
    expect(slotTitle('plain')).toBe('standard');
    expect(slotTitle('bn-lr0.1')).toBe('standard + BatchNorm, LR 0.1');
    expect(slotTitle('plain-lr1e-7')).toBe('standard, LR 1e-7');
    expect(slotTitle('dln25-linf')).toBe('DLN, standard + l∞');
    expect(slotTitle('vgg16-noisy-bn')).toBe('VGG, standard + noisy BatchNorm');
    expect(slotTitle('something else')).toBe('something else');
  });

  it("map slot labels to the paper's series names", () => {
    expect(paperSeriesName({ figure: 'fig5', panel: 'b', strip: 'dln25-' }, 'dln25-l1')).toBe('l1');
    expect(paperSeriesName({ figure: 'fig1', panel: 'a' }, 'bn-lr0.5')).toBe('bn-lr0.5');
  });

  it('pick at most max evenly spaced indices, the first and the last included', () => {
    expect(evenlySpaced(5, 12)).toEqual([0, 1, 2, 3, 4]);
    expect(evenlySpaced(0, 12)).toEqual([]);
    for (const n of [13, 30, 151, 1000]) {
      const picked = evenlySpaced(n, 12);
      expect(picked).toHaveLength(12);
      expect(picked[0]).toBe(0);
      expect(picked.at(-1)).toBe(n - 1);
      const gaps = picked.slice(1).map((v, k) => v - (picked[k] as number));
      expect(Math.min(...gaps)).toBeGreaterThan(0);
      expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1);
    }
  });
});
