// Issue 7's walk through a technician's day, in Chromium against the web host, on data the
// project generates: import a folder, batch-segment with the default model, open the worst
// image, correct it with brush and fill, save, check the new version, fine-tune for a
// minute, compare the new version with the old one, export a PDF report. A screenshot of
// each view goes to e2e-artifacts/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { cli, launchBrowser, serve, shot, tempDir, type Host } from './harness';
import { decodeMessage, encodeMessage } from '../src/shared/wire';
import type { LabelMap, MaskVersionInfo } from '../src/shared/domain';

let host: Host;
let browser: Browser;
let page: Page;
const work = tempDir();
const project = join(work, 'day.hemaseg');
const folder = join(work, 'smears');

async function api<T>(method: string, args: unknown = null): Promise<T> {
  const res = await fetch(`${host.origin}/api/call/${method}`, { method: 'POST', headers: { 'x-hemaseg-token': host.token }, body: encodeMessage(args) as BodyInit });
  const body = decodeMessage<{ ok: boolean; value: T; error?: { message: string } }>(new Uint8Array(await res.arrayBuffer()));
  if (!body.ok) throw new Error(body.error!.message);
  return body.value;
}

beforeAll(async () => {
  // The folder a technician brings: smears with their expert masks in a separate folder.
  expect((await cli(['synth', 'smear', folder, '--count', '16', '--size', '128', '--seed', '21'])).code).toBe(0);
  expect((await cli(['init', project])).code).toBe(0);
  host = await serve([project], { HEMASEG_HOME: tempDir() });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(host.url);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe("a technician's day", () => {
  it('imports a folder with its masks and difficulty classes', async () => {
    await page.getByTestId('import-open').click();
    await page.getByTestId('import-folder').fill(join(folder, 'images'));
    await page.getByTestId('import-use-masks-dir').check();
    await page.getByTestId('import-masks-dir').fill(join(folder, 'masks'));
    await page.getByTestId('import-convention').selectOption('gray3');
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-report').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-imported').textContent()).toMatch(/16/);
    expect(await page.getByTestId('import-masks').textContent()).toMatch(/16/);
    await shot(page, 'day-01-import-report');
    await page.getByTestId('import-close').click();
    await expect.poll(() => page.getByTestId('gallery-count').textContent()).toMatch(/16 of 16/);
    await shot(page, 'day-02-gallery');
  });

  it('batch-segments the project with the default model', async () => {
    await page.getByTestId('tab-batch').click();
    await page.getByTestId('batch-model').selectOption('default');
    await page.getByTestId('batch-target').selectOption('all');
    await page.getByTestId('batch-start').click();
    const job = page.locator('[data-testid=batch-job]:not([data-status=running])').first();
    await job.waitFor({ timeout: 180_000 });
    expect(await job.getAttribute('data-status'), (await job.textContent()) ?? '').toBe('done');
    expect(await page.getByTestId('batch-segmented').first().textContent()).toMatch(/16/);
    await shot(page, 'day-03-batch');
  });

  it('evaluates the model and opens the worst image from the table', async () => {
    await page.getByTestId('tab-compare').click();
    await page.getByTestId('compare-source-a').selectOption('prediction|default@1');
    await page.getByTestId('compare-run-eval').click();
    await page.getByTestId('eval-tables').waitFor({ timeout: 60_000 });
    await page.getByTestId('eval-image-row').first().waitFor({ timeout: 60_000 });
    await shot(page, 'day-04-compare-evaluation');
    await page.getByTestId('eval-image-row').first().click();
    await page.getByTestId('compare-edit').click();
    await page.getByTestId('editor-canvas').waitFor();
    await page.waitForTimeout(500);
  });

  it('corrects the worst image with brush and bucket fill, saves a new version', async () => {
    const editor = page.getByTestId('editor');
    const imageId = Number(await editor.getAttribute('data-image-id'));
    const before = await api<MaskVersionInfo[]>('masks.versions', { imageId });
    await page.getByTestId('fit').click();
    const canvas = page.getByTestId('editor-canvas');
    const box = (await canvas.boundingBox())!;
    const W = Number(await canvas.getAttribute('data-image-width'));
    const H = Number(await canvas.getAttribute('data-image-height'));
    const s = (0.94 * Math.min(box.width, box.height)) / Math.max(W, H);
    const at = (x: number, y: number) => ({ x: box.x + (box.width - s * W) / 2 + (x + 0.5) * s, y: box.y + (box.height - s * H) / 2 + (y + 0.5) * s });
    // A closed square ring of cytoplasm in the top-left corner, then fill its inside.
    await page.getByTestId('tool-brush').click();
    await page.getByTestId('class-cytoplasm').click();
    const ring = [[4, 4], [28, 4], [28, 28], [4, 28], [4, 4]];
    const p0 = at(ring[0][0], ring[0][1]);
    await page.mouse.move(p0.x, p0.y);
    await page.mouse.down();
    for (const [x, y] of ring.slice(1)) {
      const p = at(x, y);
      await page.mouse.move(p.x, p.y, { steps: 12 });
    }
    await page.mouse.up();
    await page.getByTestId('tool-bucket').click();
    const inside = at(16, 16);
    await page.mouse.click(inside.x, inside.y);
    expect(await editor.getAttribute('data-dirty')).toBe('true');
    await shot(page, 'day-05-editor-corrected');
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 20_000 }).toMatch(/Saved/);
    const after = await api<MaskVersionInfo[]>('masks.versions', { imageId });
    expect(after.length).toBe(before.length + 1);
    const saved = after[0];
    expect(saved.kind).toBe('ground-truth');
    expect(saved.source).toBe('hand-edited');
    expect(saved.isCurrent).toBe(true);
    const mask = await api<LabelMap>('masks.load', { versionId: saved.id });
    expect(mask.labels[16 * mask.width + 16]).toBe(1); // filled inside the ring
    expect(mask.labels[16 * mask.width + 4]).not.toBe(0); // the ring itself
    // The older versions are still there.
    for (const v of before) expect(after.some((a) => a.id === v.id)).toBe(true);
    await page.getByTestId('version-list').waitFor();
    await shot(page, 'day-06-editor-versions');
  });

  it('fine-tunes the default model for a minute into a new version', async () => {
    await page.getByTestId('tab-train').click();
    await page.getByTestId('train-from').selectOption('default@1');
    await page.getByTestId('train-name').fill('tuned');
    await page.getByTestId('train-minutes').fill('1');
    await page.getByTestId('train-epochs').fill('100');
    await page.getByTestId('train-start').click();
    await shot(page, 'day-07a-train-started');
    await page.getByTestId('run-monitor').waitFor();
    await page.getByTestId('train-result').waitFor({ timeout: 240_000 });
    expect(await page.getByTestId('train-result').textContent()).toMatch(/tuned@1/);
    await shot(page, 'day-07-train');
    const row = page.locator('[data-testid=model-row][data-ref="tuned@1"]');
    expect(await row.count()).toBe(1);
  });

  it('segments with the new version and compares it with the old one', async () => {
    await page.getByTestId('tab-batch').click();
    await page.getByTestId('batch-model').selectOption('tuned@1');
    await page.getByTestId('batch-target').selectOption('all');
    await page.getByTestId('batch-start').click();
    await expect.poll(() => page.locator('[data-testid=batch-job]:not([data-status=running])').count(), { timeout: 180_000 }).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-testid=batch-job][data-status=done]').count()).toBeGreaterThanOrEqual(2);
    await page.getByTestId('tab-compare').click();
    await page.getByTestId('compare-source-a').selectOption('prediction|default@1');
    await page.getByTestId('compare-source-b').selectOption('prediction|tuned@1');
    await page.getByTestId('compare-run-eval').click();
    await page.getByTestId('eval-worst-n').waitFor({ timeout: 60_000 });
    await page.getByTestId('compare-diff-b').waitFor();
    await shot(page, 'day-08-compare-versions');
  });

  it('exports a PDF report', async () => {
    await page.getByTestId('tab-reports').click();
    await page.getByTestId('report-source').selectOption('ground-truth');
    await page.getByTestId('report-format-pdf').click();
    await page.getByTestId('report-dir').fill(work);
    await page.getByTestId('report-name').fill('day-report');
    await page.getByTestId('report-export').click();
    await page.getByTestId('report-result').waitFor({ timeout: 60_000 });
    const file = join(work, 'day-report.pdf');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    await shot(page, 'day-09-report');
  });
});
