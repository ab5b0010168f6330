/**
 * The views in Chromium with a stand-in host (fakeHost.ts as window.normlab, as the Electron preload
 * would be): the gallery opens the form, the form validates inline and counts a sweep, the runs
 * table stays virtual with 10,000 runs, sorts, selects a range, edits tags and notes and previews a
 * delete, and Settings shows a bad dataset folder's error. Screenshots in light and dark go to
 * test-results/views-*.png. Needs the built renderer (out/renderer: `npm run build`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/repoPaths';
import { addFakeHost, fakeHostData } from './fakeHost';
import { screenshot } from './screenshots';
import { serveFolder } from './staticServer';

/** What the tests touch of a scrolling element (the Node project has no DOM types). */
interface Scrollable {
  scrollTop: number;
  scrollHeight: number;
}

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const RENDERER = process.env['NORMLAB_RENDERER_DIR'] ?? join(REPO_ROOT, 'out', 'renderer');
const ready = existsSync(CHROMIUM) && existsSync(join(RENDERER, 'index.html'));
if (!ready) {
  console.warn(`views e2e skipped: needs ${CHROMIUM} and the built renderer in ${RENDERER} (npm run build)`);
}

describe.skipIf(!ready)('views against a stand-in host', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveFolder>>;
  const errors: string[] = [];

  async function open(hash: string, runs = 10_000, theme: 'light' | 'dark' = 'light'): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: theme });
    page.on('pageerror', (e) => errors.push(e.message));
    await addFakeHost(page, fakeHostData(runs));
    await page.goto(`${server.url}#${hash}`);
    return page;
  }

  beforeAll(async () => {
    server = await serveFolder(RENDERER);
    browser = await chromium.launch({ executablePath: CHROMIUM });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    expect(errors).toEqual([]);
  });

  it('gallery: presets and figures with estimates; a card opens the form prefilled', async () => {
    const page = await open('/new', 0);
    await page.getByTestId('first-run').waitFor();
    await page.getByTestId('preset-vgg-tiny-bn').waitFor();
    expect(await page.locator('[data-testid^="figure-"]').count()).toBeGreaterThan(5);
    expect(await page.getByTestId('preset-vgg16-bn').textContent()).toMatch(/on this machine/);
    await screenshot(page, 'views-gallery-light');
    await page.getByTestId('scale-paper').click();
    await page.getByTestId('figure-fig4').waitFor();
    await page.getByTestId('preset-vgg-tiny-bn').click();
    await page.getByTestId('field-schedule.steps').waitFor();
    expect(await page.locator('#f-schedule-steps').inputValue()).toBe('200');
    expect(await page.locator('#f-model-network').inputValue()).toBe('vgg-tiny');
    await page.close();
  });

  it('form: inline validation under the field, layer pickers, sweep count', async () => {
    const page = await open('/new/form?preset=vgg-tiny-bn', 5);
    await page.locator('#f-schedule-steps').fill('0');
    await expect.poll(() => page.getByTestId('field-schedule.steps').textContent()).toMatch(/Too small/);
    expect(await page.getByTestId('form-status').textContent()).toMatch(/1 problem/);
    expect(await page.getByTestId('start-run').isDisabled()).toBe(true);
    await page.locator('#f-schedule-steps').fill('50');
    await expect.poll(() => page.getByTestId('form-status').textContent()).toMatch(/valid/);
    // A probe turned on shows its layers (vgg-tiny: 3).
    await page.locator('#f-probes-ics-every').fill('10');
    await page.getByTestId('field-probes.ics.layers').waitFor();
    expect(await page.getByTestId('field-probes.ics.layers').locator('button').count()).toBe(3);
    await page.getByTestId('sweep-lrs').fill('0.1, 0.05');
    await page.getByTestId('sweep-norm-none').check();
    await expect.poll(() => page.getByTestId('sweep-count').textContent()).toMatch(/= 4 runs/);
    await screenshot(page, 'views-form-light');
    await page.close();
  });

  it('runs: 10,000 runs, virtual rows, sort, shift-click range, tags and notes, delete preview', async () => {
    const page = await open('/runs');
    const table = page.getByTestId('runs-table');
    await table.locator('[data-run-id]').first().waitFor();
    expect(await page.getByTestId('runs-count').textContent()).toMatch(/10,000 runs/);
    expect(await table.locator('[data-run-id]').count()).toBeLessThan(80);
    // scroll to the end: the last page is read and drawn
    await table.evaluate((el: Scrollable) => {
      el.scrollTop = el.scrollHeight;
    });
    await expect.poll(() => table.locator('[data-run-id]').last().getAttribute('data-run-id')).toBe('r2cvj');
    await table.evaluate((el: Scrollable) => {
      el.scrollTop = 0;
    });
    // sort by LR, ascending: the smallest first
    await page.getByTestId('sort-lr').click();
    await expect.poll(() => table.locator('[data-run-id]').first().textContent()).toMatch(/1e-6/);
    // shift-click selects a range
    const checks = table.getByTestId('row-check');
    await checks.nth(0).click();
    await checks.nth(4).click({ modifiers: ['Shift'] });
    await expect.poll(() => page.getByTestId('bulk-bar').textContent()).toMatch(/5 selected/);
    // tags and notes
    const first = table.locator('[data-run-id]').first();
    const id = await first.getAttribute('data-run-id');
    await first.getByTestId('row-edit').click();
    await page.getByTestId('tag-input').fill('keep');
    await page.getByTestId('tag-input').press('Enter');
    await page.getByTestId('edit-notes').fill('the one to compare against');
    await screenshot(page, 'views-runs-edit-light');
    await page.getByTestId('edit-save').click();
    const row = table.locator(`[data-run-id="${id}"]`);
    await expect.poll(() => row.getByTestId('row-tags').textContent()).toMatch(/keep/);
    await expect.poll(() => row.getByTestId('row-notes').textContent()).toMatch(/compare against/);
    // delete: the confirmation says what goes
    await page.getByTestId('bulk-delete').click();
    await expect.poll(() => page.getByTestId('delete-summary').textContent()).toMatch(/metric points/);
    expect(await page.getByTestId('delete-summary').textContent()).toMatch(/checkpoints \(\d/);
    await screenshot(page, 'views-runs-delete-light');
    await page.getByTestId('delete-confirm').click();
    await expect.poll(() => page.getByTestId('runs-count').textContent()).toMatch(/9,995 runs/);
    await screenshot(page, 'views-runs-light');
    await page.close();
  });

  it('settings: a bad dataset folder gets its error; the theme follows the setting', async () => {
    const page = await open('/settings', 3);
    await page.getByTestId('cifar-status').waitFor();
    await page.getByTestId('cifar-dir').fill('/nowhere/at/all');
    await page.getByTestId('cifar-save').click();
    await expect
      .poll(() => page.getByTestId('cifar-status').textContent())
      .toMatch(/test_batch\.bin: not found/);
    await screenshot(page, 'views-settings-light');
    // the theme setting wins over the system's preference
    await page.getByTestId('theme-dark').click();
    await expect.poll(() => page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await page.getByTestId('theme-system').click();
    await expect.poll(() => page.evaluate('document.documentElement.dataset.theme')).toBe('light');
    await page.close();
  });

  it('dark theme: every view', async () => {
    for (const [name, hash] of [
      ['gallery', '/new'],
      ['form', '/new/form?preset=dln25-bn'],
      ['figure', '/new/form?figure=fig4-cpu'],
      ['runs', '/runs'],
      ['settings', '/settings'],
    ] as const) {
      const page = await open(hash, 300, 'dark');
      await page.locator('main h1').first().waitFor();
      await page.waitForTimeout(300);
      expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
      await screenshot(page, `views-${name}-dark`);
      await page.close();
    }
  });
});
