/**
 * The app end to end in Chromium against `normlab serve` on a temporary database (issue 7): the
 * first screen offers the DLN; a vgg-tiny run started from the gallery through the form (wasm, a
 * few hundred images, train metrics every 2 steps) draws its live loss chart point by point; it is
 * paused, resumed and stopped; found in the runs table, tagged and given a note; a 2x2 sweep runs in
 * turn on a pool of one (one training, the rest queued, then all finished); a run is deleted after
 * a confirmation that says what goes; a bad dataset folder in Settings gets its error; the page says so when
 * the server goes away. Every view is saved as test-results/app-*.png.
 *
 * Needs the built app (`npm run build`: out/main/cli.js and out/renderer), Debian's Chromium
 * (/usr/bin/chromium, or CHROMIUM_PATH) and the shared CIFAR-10 copy (../shared/data/cifar10).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_CIFAR10 } from '../helpers/repoPaths';
import { tempDirs } from '../helpers/tempDirs';
import { screenshot } from './screenshots';
import { missingForApp, openAppPage, type AppPage } from './appPage';
import type { ServeProcess } from './serveProcess';

const missing = missingForApp('app e2e');

const POLL = { timeout: 90_000, interval: 200 };

describe.skipIf(missing.length > 0)('the app against normlab serve', () => {
  const dirs = tempDirs('app-e2e');
  let serve: ServeProcess;
  let app: AppPage | undefined;
  let page: Page;
  let runId = '';

  async function points(): Promise<number> {
    return Number((await page.getByTestId('chart-train-loss').getAttribute('data-points')) ?? 0);
  }

  async function status(): Promise<string | null> {
    return page.getByTestId('run-status').getAttribute('data-status');
  }

  /** Fills the form for a small, quick vgg-tiny run on wasm. */
  async function smallVggTiny(steps: number, trainMetricsEvery: number): Promise<void> {
    await page.getByTestId('field-schedule.steps').waitFor();
    await page.locator('#f-schedule-steps').fill(String(steps));
    await page.locator('#f-schedule-batchSize').fill('32');
    await page.locator('#f-schedule-trainMetricsEvery').fill(String(trainMetricsEvery));
    await page.locator('#f-schedule-testMetricsEvery').fill('0');
    await page.locator('#f-schedule-checkpointEvery').fill('20');
    await page.locator('#f-data-trainLimit').fill('256');
    await page.locator('#f-data-testLimit').fill('200');
    await page.getByTestId('backend-wasm').locator('input').check();
    await expect.poll(() => page.getByTestId('form-status').textContent()).toMatch(/valid/);
  }

  beforeAll(async () => {
    const home = dirs.make();
    app = await openAppPage({
      home,
      db: join(home, 'e2e.sqlite'),
      settings: { cifar10Dir: SHARED_CIFAR10, poolSize: 1 },
    });
    ({ serve, page } = app);
  });

  afterAll(async () => {
    await app?.close();
    dirs.cleanup();
  });

  it('keeps the token out of the address bar and connects', async () => {
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), POLL).toBe('open');
    expect(page.url()).not.toContain('token=');
  });

  it('offers the DLN in one click on an empty database', async () => {
    await page.getByTestId('first-run').waitFor();
    await page.getByTestId('preset-vgg-tiny-bn').waitFor();
    await page.getByTestId('figure-fig4-cpu').waitFor();
    await screenshot(page, 'app-gallery');
  });

  it('starts a vgg-tiny run from the gallery and draws its loss live', async () => {
    await page.getByTestId('preset-vgg-tiny-bn').click();
    await smallVggTiny(3000, 2);
    await screenshot(page, 'app-form');
    await page.getByTestId('start-run').click();
    await page.waitForURL(/#\/runs\/[a-z0-9]+$/, { timeout: 60_000 });
    runId = page.url().split('/').at(-1) ?? '';
    expect(runId).toMatch(/^[a-z0-9]+$/);
    await expect.poll(status, POLL).toBe('running');
    await expect.poll(points, POLL).toBeGreaterThanOrEqual(3);
    const before = await points();
    await expect.poll(points, POLL).toBeGreaterThan(before);
    await screenshot(page, 'app-run-live');
  });

  it('pauses, resumes and stops the run', async () => {
    await page.getByTestId('run-pause').click();
    await expect.poll(status, POLL).toBe('paused');
    const paused = await points();
    await page.waitForTimeout(1500);
    expect(await points()).toBe(paused);
    await screenshot(page, 'app-run-paused');
    await page.getByTestId('run-resume').click();
    await expect.poll(status, POLL).toBe('running');
    await expect.poll(points, POLL).toBeGreaterThan(paused);
    await page.getByTestId('run-stop').click();
    await expect.poll(status, POLL).toBe('stopped');
    await screenshot(page, 'app-run-stopped');
  });

  it('finds the run in the table, tags it and adds a note', async () => {
    await page.getByTestId('nav-runs').click();
    const row = page.locator(`[data-testid="runs-table"] [data-run-id="${runId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('stopped');
    await row.getByTestId('row-edit').click();
    await page.getByTestId('tag-input').fill('e2e-tag');
    await page.getByTestId('tag-input').press('Enter');
    await page.getByTestId('edit-notes').fill('stopped by the end-to-end test');
    await screenshot(page, 'app-runs-edit');
    await page.getByTestId('edit-save').click();
    await expect.poll(() => row.getByTestId('row-tags').textContent(), POLL).toMatch(/e2e-tag/);
    await expect.poll(() => row.getByTestId('row-notes').textContent(), POLL).toMatch(/end-to-end/);
    // the tag is searchable
    await page.getByTestId('runs-search').fill('e2e-tag');
    await expect.poll(() => page.getByTestId('runs-count').textContent(), POLL).toMatch(/^\s*1 run\b/);
    await page.getByTestId('runs-search').fill('');
    await screenshot(page, 'app-runs');
  });

  it('queues a 2x2 sweep that runs in turn', async () => {
    await page.getByTestId('nav-new').click();
    await page.getByTestId('preset-vgg-tiny-bn').click();
    await smallVggTiny(40, 5);
    await page.getByTestId('sweep-lrs').fill('0.1, 0.05');
    await page.getByTestId('sweep-norm-none').check();
    await expect.poll(() => page.getByTestId('sweep-count').textContent()).toMatch(/= 4 runs/);
    await page.getByTestId('queue-sweep').click();
    await page.waitForURL(/#\/runs\?sweep=/, { timeout: 60_000 });
    const statuses = async (): Promise<string[]> =>
      page
        .locator('[data-testid="runs-table"] [data-run-id]')
        .evaluateAll((rows) =>
          rows.map((r) => (r as unknown as { dataset: { status?: string } }).dataset.status ?? ''),
        );
    // one training, the others waiting
    await expect
      .poll(async () => {
        const s = await statuses();
        return s.length === 4 && s.filter((x) => x === 'running').length === 1 && s.includes('queued');
      }, POLL)
      .toBe(true);
    await screenshot(page, 'app-sweep-running');
    await expect
      .poll(async () => (await statuses()).filter((x) => x === 'completed').length, {
        timeout: 240_000,
        interval: 500,
      })
      .toBe(4);
    await screenshot(page, 'app-sweep-done');
  });

  it('deletes a run after saying what goes', async () => {
    await page.getByTestId('filters-clear').click();
    const row = page.locator(`[data-testid="runs-table"] [data-run-id="${runId}"]`);
    await row.waitFor();
    await row.getByTestId('row-check').click();
    await page.getByTestId('bulk-delete').click();
    const summary = page.getByTestId('delete-summary');
    await expect.poll(() => summary.textContent(), POLL).toMatch(/metric points/);
    expect(await summary.textContent()).toMatch(/\d+\s+checkpoints/);
    await screenshot(page, 'app-delete');
    await page.getByTestId('delete-confirm').click();
    await expect.poll(() => row.count(), POLL).toBe(0);
    expect(await page.getByTestId('runs-count').textContent()).toMatch(/^\s*4 runs/);
  });

  it('shows a bad dataset folder its error in Settings', async () => {
    await page.getByTestId('nav-settings').click();
    await expect.poll(() => page.getByTestId('cifar-status').textContent(), POLL).toMatch(/✓/);
    await page.getByTestId('cifar-dir').fill(join(dirs.make(), 'no-cifar-here'));
    await page.getByTestId('cifar-save').click();
    await expect.poll(() => page.getByTestId('cifar-status').textContent(), POLL).toMatch(/✗/);
    await screenshot(page, 'app-settings');
    // nothing was saved
    const settings = await serve.call<{ cifar10Dir?: string }>('settings.get', {});
    expect(settings.cifar10Dir).toBe(SHARED_CIFAR10);
  });

  it('raised no error in the page or its console', () => {
    expect(app?.pageErrors).toEqual([]);
    expect(app?.consoleErrors).toEqual([]);
  });

  it('says so when the server goes away', async () => {
    await serve.stop();
    await page.getByTestId('connection-lost').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('connection').getAttribute('data-state')).not.toBe('open');
    await screenshot(page, 'app-disconnected');
  });
});
