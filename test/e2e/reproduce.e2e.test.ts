/**
 * The Reproduction view in Chromium against `normlab serve` on a temporary database (issue 9): open
 * it from the navigation, choose the smoke scale and only Fig 4 (the URL follows), see the plan's two
 * tiny VGG runs to run, Start, follow both to done in the plan and the progress bar, then read the
 * Fig 4 claim's card (a verdict, criteria with numbers, the figure drawn from the two runs) and write
 * the report. Screenshots: test-results/reproduce-view-light.png and -dark.png.
 *
 * Needs the built app (`npm run build`: out/main/cli.js and out/renderer), Debian's Chromium
 * (/usr/bin/chromium, or CHROMIUM_PATH) and the shared CIFAR-10 copy (../shared/data/cifar10).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_CIFAR10 } from '../helpers/repoPaths';
import { tempDirs } from '../helpers/tempDirs';
import { screenshot } from './screenshots';
import { missingForApp, openAppPage, type AppPage } from './appPage';

const missing = missingForApp('reproduce e2e');

const POLL = { timeout: 60_000, interval: 250 };
/** Two VGG runs of 6 steps at width 1/16 with every probe every 2 steps, one after the other. */
const TRAIN_POLL = { timeout: 420_000, interval: 1000 };

describe.skipIf(missing.length > 0)('the Reproduction view against normlab serve', () => {
  const dirs = tempDirs('reproduce-e2e');
  let app: AppPage | undefined;
  let page: Page;

  const planStates = (): Promise<string[]> =>
    page
      .locator('[data-testid="plan-run"]')
      .evaluateAll((rows) =>
        rows.map((r) => (r as unknown as { dataset: { state?: string } }).dataset.state ?? ''),
      );

  beforeAll(async () => {
    const home = dirs.make();
    app = await openAppPage({
      home,
      db: join(home, 'e2e.sqlite'),
      settings: { cifar10Dir: SHARED_CIFAR10, poolSize: 1 },
    });
    ({ page } = app);
  });

  afterAll(async () => {
    await app?.close();
    dirs.cleanup();
  });

  it('plans the smoke scale of Fig 4: two VGG runs to run', async () => {
    await page.getByTestId('nav-reproduce').click();
    await page.getByTestId('reproduce-view').waitFor();
    await page.getByTestId('repro-scale-smoke').click();
    await page.getByTestId('repro-only').selectOption('fig4');
    await expect.poll(() => page.url(), POLL).toMatch(/#\/reproduce\?scale=smoke&only=fig4$/);
    await expect
      .poll(() => page.locator('[data-testid="plan-run"] td:first-child').allTextContents(), POLL)
      .toEqual(['fig4/plain seed 0', 'fig4/bn seed 0']);
    expect(await planStates()).toEqual(['to-run', 'to-run']);
    expect(await page.getByTestId('repro-departures').textContent()).toMatch(/width 1\/16/);
    expect(await page.getByTestId('repro-progress-text').textContent()).toMatch(/0 of 2 runs done/);
    // Nothing of this kind is stored on a fresh database: the plan says so instead of guessing.
    expect(await page.getByTestId('repro-total').textContent()).toMatch(/2 runs without a timing here/);
    expect(await page.getByTestId('repro-unknown').textContent()).toMatch(/no run of vgg16/);
    await expect
      .poll(() => page.getByTestId('claim-fig4-landscape').getAttribute('data-verdict'), POLL)
      .toBe('inconclusive');
  });

  it('starts, and follows both runs to done', async () => {
    await page.getByTestId('repro-start').click();
    await expect.poll(() => page.getByTestId('repro-started').textContent(), POLL).toMatch(/Queued 2 runs/);
    // The runs are stored at once: the plan links them and one trains while the other waits.
    await expect.poll(planStates, POLL).toEqual(['active', 'active']);
    expect(await page.locator('[data-testid="plan-run"] a').count()).toBe(2);
    await screenshot(page, 'reproduce-view-training');
    await expect.poll(planStates, TRAIN_POLL).toEqual(['done', 'done']);
    await expect
      .poll(() => page.getByTestId('repro-progress-text').textContent(), POLL)
      .toMatch(/2 of 2 runs done/);
    expect(await page.getByTestId('repro-total').textContent()).toBe('nothing left to train');
  });

  it("shows the Fig 4 claim's verdict with numbers and draws the figure from the two runs", async () => {
    const card = page.getByTestId('claim-fig4-landscape');
    // Fig 10's DLN half is outside an only-fig4 reproduction: the claim cannot be settled.
    await expect
      .poll(() => card.getAttribute('data-verdict'), POLL)
      .toMatch(/^(supported|not supported|inconclusive)$/);
    await expect
      .poll(
        async () =>
          (await card.getByTestId('criterion-value').allTextContents()).filter((v) => v.trim() !== 'n/a')
            .length,
        POLL,
      )
      .toBeGreaterThan(0);
    const values = await card.getByTestId('criterion-value').allTextContents();
    for (const v of values) expect(v.trim()).toMatch(/^(n\/a|-?\d\.\d\d(e[+-]\d+)?|-?\d+\.\d+|0|∞|−∞)$/);
    expect(await card.getByTestId('claim-missing').textContent()).toMatch(/fig10/);
    const fig4 = card.getByTestId('claim-figure-fig4');
    await expect.poll(() => fig4.getAttribute('data-runs'), POLL).toBe('2');
    const chart = fig4.getByTestId('compare-chart');
    await expect
      .poll(async () => Number((await chart.getAttribute('data-rendered-at')) ?? 0), POLL)
      .toBeGreaterThan(0);
    expect(Number(await chart.getAttribute('data-lines'))).toBeGreaterThan(0);
    expect(await card.getByTestId('claim-figure-fig10').textContent()).toMatch(
      /Not part of this reproduction/,
    );
  });

  it('writes the report and says where', async () => {
    await page.getByTestId('repro-report').click();
    const done = page.getByTestId('repro-report-done');
    const failed = page.getByTestId('repro-report-error');
    await expect
      .poll(async () => (await done.count()) + (await failed.count()), { timeout: 180_000 })
      .toBe(1);
    if ((await failed.count()) > 0) throw new Error(`the report failed: ${await failed.textContent()}`);
    const index = await page.getByTestId('repro-report-index').inputValue();
    expect(index).toMatch(/index\.html$/);
    expect(existsSync(index)).toBe(true);
    expect(await done.getByTestId('verdict-badge').count()).toBe(1);
  });

  it('looks right in the light and dark themes', async () => {
    await page.getByTestId('reproduce-view').evaluate((el) => el.scrollIntoView());
    await screenshot(page, 'reproduce-view-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'reproduce-view-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect([...(app?.pageErrors ?? []), ...(app?.consoleErrors ?? [])]).toEqual([]);
  });
});
