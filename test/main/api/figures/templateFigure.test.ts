import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paperFigures } from '../../../../src/main/api/figures/paperCurves';
import { buildTemplateFigure, listTemplates } from '../../../../src/main/api/figures/templateFigure';
import { openStore, type Store } from '../../../../src/main/store';
import { experimentSchema } from '../../../../src/shared/config';
import { FIGURE_TEMPLATES, findTemplate } from '../../../../src/shared/figureTemplates';
import { findFigure } from '../../../../src/shared/figures';
import {
  plotFigureSchema,
  templateSpecSchema,
  type PlotFigure,
  type PlotLine,
  type PlotPanel,
} from '../../../../src/shared/plots';
import { seedFigureRuns } from '../../../helpers/figureRuns';
import { REPO_ROOT } from '../../../helpers/repoPaths';
import { tempDirs } from '../../../helpers/tempDirs';
import { userErrorOf } from '../../../helpers/userError';

const SHARED_PAPER = resolve(REPO_ROOT, '../shared/data/paper/figures.json');
const RESOURCES_PAPER = join(REPO_ROOT, 'resources/paper/figures.json');

const dirs = tempDirs('template-figure');
let store: Store;
let runIds: Record<string, string[]>;
const ctx = () => ({ store, dbPath: store.path });

beforeAll(() => {
  store = openStore(join(dirs.make(), 'runs.sqlite'));
  ({ runIds } = seedFigureRuns(store, { seeds: 2 }));
});
afterAll(() => {
  store.close();
  dirs.cleanup();
});

function build(template: string, extra: Record<string, unknown> = {}, s: Store = store): PlotFigure {
  const spec = templateSpecSchema.parse({ kind: 'template', template, ...extra });
  // Checked against the contract: what figures.build answers must parse.
  return plotFigureSchema.parse(buildTemplateFigure({ store: s, dbPath: s.path }, spec, 900));
}

function panel(figure: PlotFigure, key: string): PlotPanel {
  const p = figure.panels.find((x) => x.key === key);
  if (!p) throw new Error(`no panel ${key} in ${figure.panels.map((x) => x.key).join(', ')}`);
  return p;
}

function line(p: PlotPanel, key: string, role: PlotLine['role'] = 'line'): PlotLine {
  const l =
    p.lines.find((x) => x.key === key && x.role === role) ??
    p.lines.find((x) => x.key === `paper-${key}` && x.role === role);
  if (!l) throw new Error(`no ${role} line ${key} in ${p.key}`);
  return l;
}

const finite = (values: readonly number[]): number[] => values.filter(Number.isFinite);

/** The paper's entry, read from the shared copy (or the app's copy where ../shared is absent). */
function paperEntry(figure: string, panelName: string, series: string) {
  const text = readFileSync(existsSync(SHARED_PAPER) ? SHARED_PAPER : RESOURCES_PAPER, 'utf8');
  const json = JSON.parse(text) as {
    figures: { figure: string; panel: string; series: string; points?: number[][]; band?: number[][] }[];
  };
  const entry = json.figures.find((e) => e.figure === figure && e.panel === panelName && e.series === series);
  if (!entry) throw new Error(`figures.json has no ${figure} ${panelName} ${series}`);
  return entry;
}

describe('figure templates filled from stored runs', () => {
  it('build every template from the miniature runs with its panels, each drawing something', () => {
    for (const template of FIGURE_TEMPLATES) {
      const figure = build(template.name);
      expect(figure.panels.map((p) => p.key)).toEqual(template.panels.map((p) => p.key));
      expect(figure.columns).toBe(template.columns);
      for (const p of figure.panels) {
        const where = `${template.name}/${p.key}`;
        expect(
          p.notes.filter((n) => n.startsWith('no ')),
          where,
        ).toEqual([]);
        if (p.kind === 'ridge') {
          expect(p.ridges.length, where).toBeGreaterThan(1);
          for (const r of p.ridges) {
            expect(r.edges).toHaveLength(r.counts.length + 1);
            expect(r.counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
          }
          continue;
        }
        const drawn = p.lines.filter((l) => l.role === 'line');
        expect(drawn.length, where).toBeGreaterThan(0);
        for (const l of drawn) {
          const values = l.band ? [...l.band.lo, ...l.band.hi] : l.y;
          expect(finite(values).length, `${where} ${l.key}`).toBeGreaterThan(0);
          expect(l.x).toHaveLength(l.y.length);
        }
      }
    }
  });

  it('fill each slot with every seed of its runs by default, and say so in the caption', () => {
    for (const info of listTemplates(ctx())) {
      const template = findTemplate(info.name);
      expect(info.slots.map((s) => s.label)).toEqual(template?.slots);
      for (const slot of info.slots) {
        // Fig 8 takes fig 2's runs too; the fixture wrote fig 8's own after fig 2's, so they are newer.
        const ids = runIds[`fig${info.figure}-cpu/${slot.label}`] ?? [];
        expect([...slot.runIds].sort(), `${info.name}/${slot.label}`).toEqual([...ids].sort());
      }
    }
    const fig4 = build('fig4');
    const bn = line(panel(fig4, 'loss-landscape'), 'bn');
    expect(bn.label).toBe('standard + BatchNorm (n=2)');
    expect([...bn.runIds].sort()).toEqual([...(runIds['fig4-cpu/bn'] ?? [])].sort());
    expect(fig4.caption).toContain('fig4-cpu/bn');
    for (const id of runIds['fig4-cpu/plain'] ?? []) expect(fig4.caption).toContain(id);
  });

  it('take the source whose newest run is newest, skipping failed and queued runs', () => {
    const s = openStore(join(dirs.make(), 'runs.sqlite'));
    try {
      const { runIds: ids } = seedFigureRuns(s, { templates: ['fig4', 'fig2'] });
      const config = (name: string) => {
        const run = findFigure(name.slice(0, name.indexOf('/')))?.runs.find((r) => r.name === name);
        return experimentSchema.parse({ ...run?.config, name });
      };
      const add = (name: string, status: 'completed' | 'failed' | 'queued'): string => {
        const id = s.createRun(config(name));
        if (status !== 'queued') s.finish(id, status);
        return id;
      };
      const paperBn = add('fig4/bn', 'completed');
      add('fig4/plain', 'failed');
      add('fig2/bn', 'queued');
      const fill = (name: string) =>
        listTemplates({ store: s, dbPath: s.path }).find((t) => t.name === name)?.slots;
      expect(fill('fig4')).toEqual([
        { label: 'plain', runIds: ids['fig4-cpu/plain'] },
        { label: 'bn', runIds: [paperBn] },
      ]);
      // Fig 8 has no runs of its own here: fig 2's fill it.
      expect(fill('fig8')?.map((slot) => slot.runIds)).toEqual(
        ['plain', 'bn', 'noisy-bn'].map((l) => ids[`fig2-cpu/${l}`]),
      );
      // A slot without runs still renders, saying so.
      const fig1 = build('fig1', {}, s);
      expect(fig1.panels).toHaveLength(6);
      expect(panel(fig1, 'train-accuracy').notes.join(' ')).toContain(
        'no runs for bn-lr0.1: none named fig1/bn-lr0.1 or fig1-cpu/bn-lr0.1',
      );
      expect(panel(fig1, 'ridge-plain-lr0.1-layer3').notes.join(' ')).toContain('no runs for plain-lr0.1');
    } finally {
      s.close();
    }
  });

  it('use the runs picked for a slot instead of the default', () => {
    const plain = runIds['fig4-cpu/plain']?.[0] as string;
    const figure = build('fig4', { slots: { bn: [plain] } });
    const bandLine = line(panel(figure, 'loss-landscape'), 'bn');
    expect(bandLine.runIds).toEqual([plain]);
    expect(bandLine.label).toBe('standard + BatchNorm');
    // The other slot keeps its default runs.
    expect(line(panel(figure, 'loss-landscape'), 'plain').runIds).toHaveLength(2);
  });

  it('refuse an unknown template, slot or run with a message saying what exists', () => {
    const template = userErrorOf(() => build('fig7'));
    expect(template.message).toContain('fig7');
    for (const t of FIGURE_TEMPLATES) expect(template.message).toContain(t.name);
    const slot = userErrorOf(() => build('fig4', { slots: { batchnorm: [] } }));
    expect(slot.message).toContain('plain, bn');
    const run = userErrorOf(() => build('fig4', { slots: { bn: ['nosuchrn'] } }));
    expect(run.code).toBe('not-found');
    expect(run.message).toContain('nosuchrn');
  });

  it("overlay the paper's curves in the runs' colours, accuracy from % to a fraction", () => {
    const figure = build('fig1', { range: [0, 15000] });
    const train = panel(figure, 'train-accuracy');
    const slots = findTemplate('fig1')?.slots ?? [];
    for (const [color, slot] of slots.entries()) {
      const paper = line(train, slot, 'paper');
      expect(paper.color).toBe(color);
      expect(line(train, slot).color).toBe(color);
      const entry = paperEntry('fig1', 'a', slot);
      // The paper's first point, read a little left of 0 on some curves, sits at step 0.
      expect(paper.x).toEqual(entry.points?.map((p) => Math.max(0, p[0] as number)));
      expect(paper.label).not.toMatch(/paper/);
      expect(paper.y).toEqual(entry.points?.map((p) => (p[1] as number) / 100));
      expect(Math.max(...paper.y)).toBeLessThanOrEqual(1);
    }
    expect(figure.caption).toContain('dashed: Santurkar et al. 2018, read off the published figures');

    // Bands as bands, unscaled; without a zoom only up to where the runs end (step 200).
    const fig4 = panel(build('fig4'), 'loss-landscape');
    const paperBand = line(fig4, 'bn', 'paper');
    const entry = paperEntry('fig4', 'a', 'bn');
    const shown = (entry.band ?? []).filter((r) => (r[0] as number) <= 200);
    expect(paperBand.band?.lo).toEqual(shown.map((r) => r[1]));
    expect(paperBand.band?.hi).toEqual(shown.map((r) => r[2]));
    expect(paperBand.y.every(Number.isNaN)).toBe(true);
    expect(fig4.notes).toContain('paper curves up to step 200, where the runs end');

    // Without a zoom, fig 1's test accuracy (read every 1k steps in the paper) keeps at most its
    // point at step 0 within the runs' 200 steps: a lone dot would read as a stray mark, so no curve.
    const test = panel(build('fig1'), 'test-accuracy');
    expect(paperEntry('fig1', 'b', 'bn-lr0.1').points?.filter((p) => (p[0] as number) <= 200).length).toBe(1);
    expect(test.lines.filter((l) => l.role === 'paper')).toEqual([]);
    for (const l of panel(build('fig1'), 'train-accuracy').lines.filter((x) => x.role === 'paper')) {
      expect(l.x.length).toBeGreaterThanOrEqual(2);
      expect(Math.min(...l.x)).toBeGreaterThanOrEqual(0);
    }

    // Fig 5's DLN slots are the paper's plain/bn/l1/l2/linf.
    const fig5 = panel(build('fig5'), 'train-loss-dln');
    expect(line(fig5, 'dln25-l1', 'paper').y[0]).toBe(paperEntry('fig5', 'b', 'l1').points?.[0]?.[1]);

    const none = build('fig1', { paper: false });
    expect(none.panels.flatMap((p) => p.lines).filter((l) => l.role === 'paper')).toEqual([]);
    expect(none.caption).not.toContain('Santurkar');
  });

  it("draw a landscape band from the run's min and max series", () => {
    const [one] = runIds['fig4-cpu/bn'] ?? [];
    const figure = build('fig4', { slots: { bn: [one] } });
    const band = line(panel(figure, 'loss-landscape'), 'bn');
    const lo = store.readSeries(one as string, 'probe/landscape/loss_min');
    const hi = store.readSeries(one as string, 'probe/landscape/loss_max');
    expect(band.steps).toEqual(Array.from(lo.steps));
    expect(band.band?.lo).toEqual(Array.from(lo.values));
    expect(band.band?.hi).toEqual(Array.from(hi.values));
    expect(band.y.every(Number.isNaN)).toBe(true);
  });

  it("fig 8: the change between logged steps, the seeds' mean with a min..max band", () => {
    const figure = build('fig8');
    for (const layer of [2, 9, 13]) {
      for (const moment of ['mean', 'var']) {
        const l = line(panel(figure, `change-layer${layer}-${moment}`), 'noisy-bn');
        // Independently: per run the absolute differences of consecutive stored points.
        const perRun = (runIds['fig8-cpu/noisy-bn'] ?? []).map((id) => {
          const { steps, values } = store.readSeries(id, `probe/activations/layer${layer}/${moment}`);
          return new Map(
            Array.from(steps)
              .slice(1)
              .map((s, k) => [s, Math.abs((values[k + 1] as number) - (values[k] as number))]),
          );
        });
        const steps = [...(perRun[0]?.keys() ?? [])];
        expect(l.steps).toEqual(steps);
        expect(l.x).toEqual(steps);
        steps.forEach((s, k) => {
          const vs = perRun.map((m) => m.get(s) as number);
          expect(l.y[k]).toBeCloseTo(vs.reduce((a, b) => a + b, 0) / vs.length, 12);
          expect(l.band?.lo[k]).toBe(Math.min(...vs));
          expect(l.band?.hi[k]).toBe(Math.max(...vs));
        });
      }
    }
  });

  it('fig 11: one curve per probed step, eta ascending, shaded early to late', () => {
    const figure = build('fig11');
    for (const slot of findTemplate('fig11')?.slots ?? []) {
      const p = panel(figure, `eta-${slot}`);
      expect(p.xScale).toBe('log');
      expect(p.palette).toBe('sequential');
      // The newest run of the slot: the fixture's second seed.
      const runId = runIds[`fig11-cpu/${slot}`]?.[1] as string;
      const records = store.listProbeRecords(runId, { probe: 'landscape' });
      expect(p.lines.map((l) => l.key)).toEqual(records.map((r) => `step-${r.step}`));
      records.forEach((r, k) => {
        const l = p.lines[k] as PlotLine;
        if (!('etas' in r.data)) throw new Error('fixture record without etas');
        const { etas, gradChanges } = r.data;
        const pairs = etas.map((e, i) => [e, gradChanges[i] as number] as const).sort((a, b) => a[0] - b[0]);
        expect(l.x).toEqual(pairs.map((q) => q[0]));
        expect(l.y).toEqual(pairs.map((q) => q[1]));
      });
      const shades = p.lines.map((l) => l.shade as number);
      expect(shades[0]).toBe(0);
      expect(shades.at(-1)).toBe(1);
      expect([...shades].sort((a, b) => a - b)).toEqual(shades);
    }
  });

  it("fig 9: the DLN's ridges of layers 1, 11 and 24 are its runs' histograms of those layers", () => {
    const figure = build('fig9');
    for (const slot of ['plain', 'bn']) {
      // The newest run of the slot: the fixture's second seed.
      const runId = runIds[`fig9-cpu/${slot}`]?.[1] as string;
      for (const layer of [1, 11, 24]) {
        const p = panel(figure, `ridge-${slot}-layer${layer}`);
        expect(p.title).toBe(`${slot === 'bn' ? 'standard + BatchNorm' : 'standard'}, layer #${layer}`);
        const records = store
          .listProbeRecords(runId, { probe: 'activations' })
          .filter((r) => 'layer' in r.data && r.data.layer === layer);
        expect(records.length).toBeGreaterThan(1);
        expect(p.ridges.map((r) => r.step)).toEqual(records.map((r) => r.step));
        p.ridges.forEach((ridge, k) => {
          const data = records[k]?.data;
          if (!data || !('counts' in data)) throw new Error('fixture record without a histogram');
          expect(ridge.counts).toEqual(data.counts);
        });
      }
    }
    expect(panel(figure, 'train-loss').yScale).toBe('log');
  });

  it('ridge plots show at most 12 logged steps, evenly spaced, first and last included', () => {
    const s = openStore(join(dirs.make(), 'runs.sqlite'));
    try {
      const { runIds: ids } = seedFigureRuns(s, { templates: ['fig6'], steps: 600 });
      const ridge = panel(build('fig6', {}, s), 'ridge-bn-layer11');
      const records = s
        .listProbeRecords(ids['fig6-cpu/bn']?.[0] as string, { probe: 'activations' })
        .filter((r) => 'layer' in r.data && r.data.layer === 11);
      expect(records).toHaveLength(30);
      expect(ridge.ridges).toHaveLength(12);
      expect(ridge.ridges[0]?.step).toBe(records[0]?.step);
      expect(ridge.ridges.at(-1)?.step).toBe(records.at(-1)?.step);
      const first = records[0];
      if (!first || !('edges' in first.data)) throw new Error('fixture record without a histogram');
      expect(ridge.ridges[0]?.counts).toEqual(first.data.counts);
      expect(ridge.ridges[0]?.edges).toEqual(first.data.edges);
    } finally {
      s.close();
    }
  });
});

describe("the paper's curves in the app", () => {
  it.skipIf(!existsSync(SHARED_PAPER))('are a copy of ../shared/data/paper/figures.json', () => {
    const shared: unknown = JSON.parse(readFileSync(SHARED_PAPER, 'utf8'));
    expect(JSON.parse(readFileSync(RESOURCES_PAPER, 'utf8'))).toEqual(shared);
  });

  it('load and validate, and every paper reference of a template finds a curve', () => {
    const figures = paperFigures();
    expect(figures.figures.length).toBeGreaterThan(0);
    for (const t of FIGURE_TEMPLATES) {
      for (const p of t.panels) {
        if ((p.kind !== 'metric' && p.kind !== 'band') || !p.paper) continue;
        const ref = p.paper;
        expect(
          figures.figures.some((e) => e.figure === ref.figure && e.panel === ref.panel),
          `${t.name}/${p.key}`,
        ).toBe(true);
      }
    }
  });
});
