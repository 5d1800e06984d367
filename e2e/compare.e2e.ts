// Issue 12.3 in a browser: the N-way comparison. A tiny generated project with a trained SegNet
// (seg@1, segmented by the CLI), a second "model" and the active contour written as masks, one
// of them missing on some images: Compare runs the three on ONE image set and says what each
// dropped, shows the tables, charts and the prediction grid, opens a grid cell side by side,
// reopens the stored comparison, and the registry shows family, parameters, training time.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { cli, launchBrowser, serve, shot, tempDir, type Host } from './harness';
import { Project } from '../src/main/project/project';
import { SOURCE, type LabelMap } from '../src/shared/domain';

let host: Host;
let browser: Browser;
let page: Page;
let path: string;
const home = tempDir();
const COUNT = 12;

/** A worse segmenter: the truth with its nucleus turned into cytoplasm on every other image. */
function degrade(gt: LabelMap, k: number): LabelMap {
  if (k % 2) return gt;
  return { ...gt, labels: Uint8Array.from(gt.labels, (v) => (v === 2 ? 1 : v)), instances: undefined };
}

/** The "contour": the truth shrunk by one pixel of cell at every boundary (a plausible under-segmentation). */
function shrink(gt: LabelMap): LabelMap {
  const { width: w, height: h, labels } = gt;
  const out = Uint8Array.from(labels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!labels[i]) continue;
      const edge = x === 0 || y === 0 || x === w - 1 || y === h - 1 || !labels[i - 1] || !labels[i + 1] || !labels[i - w] || !labels[i + w];
      if (edge) out[i] = 0;
    }
  }
  return { ...gt, labels: out, instances: undefined };
}

beforeAll(async () => {
  path = join(tempDir(), 'compare.hemaseg');
  const env = { HEMASEG_HOME: home };
  const synth = await cli(['synth', 'smear', path, '--count', String(COUNT), '--size', '32', '--seed', '7'], env);
  expect(synth.code, synth.stderr).toBe(0);
  const train = await cli(['train', path, '--name', 'seg', '--family', 'segnet', '--size', '32', '--depth', '2', '--kernel', '3', '--base-filters', '2', '--max-filters', '4', '--epochs', '1', '--batch', '4'], env);
  expect(train.code, train.stderr + train.stdout).toBe(0);
  const seg = await cli(['segment', path, '--model', 'seg@1', '--images', 'all'], env);
  expect(seg.code, seg.stderr + seg.stdout).toBe(0);
  const p = Project.open(path);
  const images = p.images.list();
  p.images.update(images.map((i) => i.id), { split: 'test' });
  images.forEach((img, k) => {
    const gt = p.masks.load(p.masks.current(img.id, 'ground-truth')!.id)!;
    // toy@1 lacks the first two images: they must be dropped for every source, with the reason.
    if (k >= 2) p.masks.append({ imageId: img.id, kind: 'prediction', source: 'toy@1', author: 'e2e', mask: degrade(gt, k) });
    p.masks.append({ imageId: img.id, kind: 'baseline', source: SOURCE.activeContour, author: 'e2e', mask: shrink(gt) });
  });
  p.close();
  host = await serve([path], env);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('N-way comparison', () => {
  it('compares three sources on one image set and says what each dropped', async () => {
    await page.goto(host.url);
    await page.getByTestId('tab-compare').click();
    await page.getByTestId('compare-comparison').waitFor();
    for (const s of ['seg@1', 'toy@1', 'active-contour']) {
      const box = page.locator(`[data-testid=compare-source-check][data-source="${s}"]`);
      if (!(await box.isChecked())) await box.check();
    }
    await page.getByTestId('compare-split').selectOption('test');
    await page.getByTestId('compare-run-eval').click();
    await page.getByTestId('compare-image-count').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('compare-image-count').textContent()).toBe(`${COUNT - 2} images, the same for every source`);
    expect(await page.locator('[data-testid=compare-dropped][data-source="toy@1"]').textContent()).toMatch(/2 dropped — 2 without its own mask/);
    expect(await page.locator('[data-testid=compare-dropped][data-source="seg@1"]').textContent()).toMatch(/2 dropped — 0 without its own mask, 2 because another source has none/);
    const head = await page.locator('[data-testid=compare-metrics] thead th').allTextContents();
    // Columns in the order the source list shows them (newest masks first).
    expect(head[0]).toBe('Metric');
    expect([...head.slice(1)].sort()).toEqual(['active-contour', 'seg@1', 'toy@1']);
    const cell = await page.locator('[data-testid=compare-metrics-row][data-key="iou.cell"] td').allTextContents();
    expect(cell).toHaveLength(4);
    expect(cell[head.indexOf('toy@1')]).toMatch(/^1\.000 ± 0\.000$/); // toy@1 keeps every cell pixel
    expect(cell[head.indexOf('active-contour')]).not.toMatch(/^1\.000/); // the shrunk truth does not
    expect(await page.locator('[data-testid=compare-class-nucleus-row]').count()).toBe(3);
    expect(await page.locator('[data-testid=eval-worst-n] tbody tr').count()).toBe(3);
    await page.getByTestId('compare-bars').waitFor();
    await page.getByTestId('compare-metrics').scrollIntoViewIfNeeded();
    await shot(page, 'compare-01-tables');
    await page.getByTestId('compare-grid').scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    expect(await page.getByTestId('eval-image-row').count()).toBe(6);
    await shot(page, 'compare-02-grid');
  });

  it('opens a grid cell side by side with that source as A', async () => {
    const row = page.getByTestId('eval-image-row').first();
    const id = await row.getAttribute('data-image-id');
    await page.locator(`[data-testid=compare-grid-cell][data-image-id="${id}"][data-source="toy@1"]`).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toContain(`/compare/${id}`);
    await expect.poll(() => page.getByTestId('compare-source-a').inputValue()).toBe('prediction|toy@1');
    await page.getByTestId('compare-a').waitFor();
    await page.getByTestId('compare-panels').scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await shot(page, 'compare-03-side-by-side');
  });

  it('lists the stored comparison and reopens it', async () => {
    await page.reload();
    await page.getByTestId('compare-stored').waitFor({ timeout: 30_000 });
    const stored = page.getByTestId('compare-stored-row');
    expect(await stored.count()).toBe(1);
    expect(await stored.first().textContent()).toMatch(/(seg@1|toy@1|active-contour)(, (seg@1|toy@1|active-contour)){2}/);
    await stored.first().click();
    await page.getByTestId('compare-image-count').waitFor();
    expect(await page.getByTestId('compare-image-count').textContent()).toBe(`${COUNT - 2} images, the same for every source`);
    // The controls show what it used (after the reload they followed the panels' A and B).
    expect(await page.locator('[data-testid=compare-source-check]:checked').count()).toBe(3);
    await page.getByTestId('compare-comparison').scrollIntoViewIfNeeded();
    await shot(page, 'compare-04-reopened');
  });

  it('refuses nothing silently: a split without images says why', async () => {
    await page.getByTestId('compare-split').selectOption('val');
    await page.getByTestId('compare-run-eval').click();
    await page.getByTestId('compare-error').waitFor();
    expect(await page.getByTestId('compare-error').textContent()).toMatch(/no image in the val split/);
  });

  it('shows family, parameters, training time and backend in the registry', async () => {
    await page.getByTestId('tab-train').click();
    const row = page.locator('[data-testid=model-row][data-ref="seg@1"]');
    await row.waitFor();
    expect(await row.textContent()).toMatch(/segnet/);
    expect(await row.getByTestId('model-params').textContent()).toMatch(/[\d,]+ parameters/);
    expect(await row.getByTestId('model-training-time').textContent()).toMatch(/^\d+ s$|min$/);
    await page.getByTestId('model-registry').scrollIntoViewIfNeeded();
    await shot(page, 'compare-05-registry');
  });
});
