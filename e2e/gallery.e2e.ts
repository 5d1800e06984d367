// Issue 2 in a browser: `hemaseg serve` with no project opens the generated sample project;
// the gallery shows it, filters work, and the host refuses requests without the token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, serve, shot, tempDir, type Host } from './harness';

let host: Host;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  host = await serve([], { HEMASEG_HOME: tempDir() });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('gallery on the sample project', () => {
  it('refuses a request without the token', async () => {
    const res = await fetch(`${host.origin}/`);
    expect(res.status).toBe(403);
  });

  it('shows all 24 sample images with difficulty classes, split and mask kinds', async () => {
    await page.goto(host.url);
    await page.getByTestId('gallery-tile').first().waitFor();
    await expect.poll(() => page.getByTestId('gallery-count').textContent()).toMatch(/24 of 24/);
    expect(await page.getByTestId('status-project').textContent()).toMatch(/sample\.hemaseg/);
    expect(await page.getByTestId('status-backend').textContent()).toMatch(/wasm|native TF|cpu/);
    const kinds = await page.getByTestId('mask-kinds').first().getAttribute('data-kinds');
    expect(kinds).toContain('ground-truth');
    await shot(page, '01-gallery-sample');
  });

  it('filters by difficulty class and split', async () => {
    await page.getByTestId('filter-difficulty-8').check();
    await expect.poll(() => page.getByTestId('gallery-count').textContent()).toMatch(/^3 of 24/);
    const badges = await page.getByTestId('difficulty-badge').allTextContents();
    expect(badges.every((b) => b.trim() === '8')).toBe(true);
    await shot(page, '02-gallery-filter-class-8');
    await page.getByTestId('filter-clear').click();
    await page.getByTestId('filter-split-train').check();
    const n = Number((await page.getByTestId('gallery-grid').getAttribute('data-count')) ?? '0');
    expect(n).toBeGreaterThan(10);
    expect(n).toBeLessThan(24);
    await page.getByTestId('filter-clear').click();
  });

  it('sets a difficulty class in bulk and keeps it after a reload', async () => {
    const tiles = page.getByTestId('gallery-tile');
    await tiles.nth(0).click();
    await tiles.nth(1).click({ modifiers: ['Shift'] });
    await expect.poll(() => page.getByTestId('bulk-count').textContent()).toMatch(/2/);
    await page.getByTestId('bulk-difficulty').selectOption('4');
    await page.reload();
    await page.getByTestId('filter-difficulty-4').check();
    await expect.poll(() => page.getByTestId('gallery-count').textContent()).toMatch(/^5 of 24/);
  });
});
