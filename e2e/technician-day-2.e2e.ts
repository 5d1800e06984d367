// Issue 16's technician's day, round two, and issue 15's "no silent ground truth", in
// Chromium against the web host on generated yellow (wbc-dataset1-like) smears: shortcut
// presets and the help sheet, gallery keys (arrows, A/D, Alt+digit, review), review states,
// no version from a starting mask, accept with provenance, the leave prompt, segment in the
// editor, the polygon at annotation speed, palettes and the selected-cell highlight, X/Z,
// re-fit on resize, the folder browser's counts and import states, the fine-tune name, and
// the Reports view's link. Screenshots go to e2e-artifacts/day2-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { cli, launchBrowser, serve, shot, tempDir, type Host } from './harness';
import { decodeMessage, encodeMessage } from '../src/shared/wire';
import type { ImageSummary, MaskVersionInfo } from '../src/shared/domain';

let host: Host;
let browser: Browser;
let page: Page;
const work = tempDir('hemaseg-day2-');
const project = join(work, 'day2.hemaseg');
const smears = join(work, 'smears');
const bmps = join(work, 'twenty-bmps');
const empty = join(work, 'empty-folder');

async function api<T>(method: string, args: unknown = null): Promise<T> {
  const res = await fetch(`${host.origin}/api/call/${method}`, { method: 'POST', headers: { 'x-hemaseg-token': host.token }, body: encodeMessage(args) as BodyInit });
  const body = decodeMessage<{ ok: boolean; value: T; error?: { message: string } }>(new Uint8Array(await res.arrayBuffer()));
  if (!body.ok) throw new Error(body.error!.message);
  return body.value;
}

/** A valid 8x8 24-bit BMP. */
function bmp(): Buffer {
  const w = 8;
  const h = 8;
  const row = w * 3;
  const size = 54 + row * h;
  const b = Buffer.alloc(size);
  b.write('BM', 0);
  b.writeUInt32LE(size, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(w, 18);
  b.writeInt32LE(h, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(row * h, 34);
  b.fill(200, 54);
  return b;
}

const gtVersions = async (imageId: number) => (await api<MaskVersionInfo[]>('masks.versions', { imageId })).filter((v) => v.kind === 'ground-truth');

async function canvasPoint(p: Page) {
  const canvas = p.getByTestId('editor-canvas');
  const box = (await canvas.boundingBox())!;
  const W = Number(await canvas.getAttribute('data-image-width'));
  const H = Number(await canvas.getAttribute('data-image-height'));
  const s = (0.94 * Math.min(box.width / W, box.height / H));
  return (x: number, y: number) => ({ x: box.x + (box.width - s * W) / 2 + (x + 0.5) * s, y: box.y + (box.height - s * H) / 2 + (y + 0.5) * s });
}

async function openEditorOn(id: number): Promise<void> {
  await page.evaluate((i) => (window.location.hash = `#/editor/${i}`), id);
  await page.locator(`[data-testid=editor][data-image-id="${id}"]`).waitFor();
  await page.getByTestId('fit').click();
}

beforeAll(async () => {
  expect((await cli(['synth', 'smear', smears, '--count', '6', '--size', '128', '--palette', 'yellow', '--classes', '1,2', '--seed', '5'])).code).toBe(0);
  mkdirSync(bmps);
  for (let i = 1; i <= 20; i++) writeFileSync(join(bmps, `${String(i).padStart(3, '0')}.bmp`), bmp());
  mkdirSync(empty);
  expect((await cli(['init', project])).code).toBe(0);
  // Images without ground truth; the active contour gives each a baseline (an uncorrected mask).
  const imported = await cli(['import', project, join(smears, 'images'), '--mask-convention', 'none']);
  expect(imported.code, imported.stderr).toBe(0);
  const segmented = await cli(['segment', project, '--model', 'active-contour']);
  expect(segmented.code, segmented.stderr).toBe(0);
  host = await serve([project], { HEMASEG_HOME: tempDir() });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(host.url);
  await page.getByTestId('gallery-tile').first().waitFor();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe("a technician's day, round two", () => {
  it('switches to the Cellpose preset and shows every shortcut of it in the help sheet', async () => {
    await page.getByTestId('tab-settings').click();
    await page.getByTestId('settings-preset').selectOption('cellpose');
    await expect.poll(async () => (await api<{ settings: { shortcutPreset: string } }>('project.current')).settings.shortcutPreset).toBe('cellpose');
    await page.getByTestId('tab-gallery').click();
    await page.getByTestId('gallery-tile').first().waitFor();
    await page.keyboard.press('?');
    const help = page.getByTestId('shortcut-help');
    await help.waitFor();
    expect(await page.getByTestId('shortcut-preset').getAttribute('data-preset')).toBe('cellpose');
    expect(await help.locator('[data-action="brush.smaller"]').textContent()).toContain(',');
    expect(await help.locator('[data-action="image.next"]').textContent()).toContain('D');
    expect(await help.locator('[data-action="view.overlay"]').textContent()).toContain('X');
    expect(await help.locator('[data-action="view.outline"]').textContent()).toContain('Z');
    expect(await help.locator('[data-action="difficulty.3"]').textContent()).toContain('Alt+3');
    await shot(page, 'day2-01-help-cellpose');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
  });

  it('walks the gallery with arrows and A/D, sets difficulty and review state by key, filters by review', async () => {
    const images = await api<ImageSummary[]>('images.list', {});
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('bulk-count').textContent()).toMatch(/1 selected/);
    await page.keyboard.press('d');
    const second = images[1].id;
    await expect.poll(() => page.locator('.tile.selected').getAttribute('data-image-id')).toBe(String(second));
    await page.keyboard.press('a');
    await expect.poll(() => page.locator('.tile.selected').getAttribute('data-image-id')).toBe(String(images[0].id));
    await page.keyboard.press('Alt+3');
    await expect.poll(async () => (await api<ImageSummary>('images.get', { id: images[0].id })).difficulty).toBe(3);
    await page.keyboard.press('Shift+R');
    await expect.poll(async () => (await api<ImageSummary>('images.get', { id: images[0].id })).review).toBe('reviewed');
    await page.getByTestId('bulk-review-reviewed').waitFor();
    // Counted in the filter panel.
    const count = (r: string) => page.getByTestId(`filter-review-${r}`).locator('xpath=..').locator('.count').textContent();
    await expect.poll(() => count('reviewed')).toBe('1');
    expect(await count('draft')).toBe('5');
    await page.getByTestId('filter-review-reviewed').check();
    await expect.poll(() => page.getByTestId('gallery-count').textContent()).toMatch(/^1 of 6/);
    await shot(page, 'day2-02-gallery-reviewed-filter');
    await page.getByTestId('filter-review-reviewed').uncheck();
    await page.getByTestId('filter-review-reviewed').blur();
    // Z shows filled masks on the tiles, X hides them.
    await page.keyboard.press('x');
    await expect.poll(() => page.getByTestId('gallery-overlay').inputValue()).toBe('none');
    await page.keyboard.press('x');
    await expect.poll(() => page.getByTestId('gallery-overlay').inputValue()).toBe('auto');
  });

  it('never turns a starting mask into ground truth; accept records its source', async () => {
    const images = await api<ImageSummary[]>('images.list', {});
    const [a, b] = images;
    await openEditorOn(a.id);
    const editor = page.getByTestId('editor');
    expect(await editor.getAttribute('data-start-kind')).toBe('baseline');
    expect(await editor.getAttribute('data-dirty')).toBe('false');
    await page.getByTestId('editor-start-banner').waitFor();
    await shot(page, 'day2-03-editor-baseline-not-gt');
    // Leave to the next image and back: nothing is saved on the way.
    await page.keyboard.press('d');
    await page.locator(`[data-testid=editor][data-image-id="${b.id}"]`).waitFor();
    await page.keyboard.press('ArrowLeft');
    await page.locator(`[data-testid=editor][data-image-id="${a.id}"]`).waitFor();
    await page.getByTestId('tab-gallery').click();
    await page.getByTestId('gallery-tile').first().waitFor();
    expect(await gtVersions(a.id)).toHaveLength(0);
    expect(await gtVersions(b.id)).toHaveLength(0);
    // Choosing "empty mask" as the start is not an edit either.
    await openEditorOn(a.id);
    await page.getByTestId('editor-start-from').selectOption('empty');
    expect(await page.getByTestId('editor').getAttribute('data-dirty')).toBe('false');
    await page.getByTestId('editor-start-from').selectOption({ index: 0 });
    // Explicit accept stores it, recording what was accepted.
    await page.getByTestId('accept').click();
    await expect.poll(async () => (await gtVersions(a.id)).length).toBe(1);
    const [accepted] = await gtVersions(a.id);
    expect(accepted.note).toMatch(/^accepted unchanged: baseline: active-contour #\d+/);
    expect(accepted.parentId).not.toBeNull();
    // Stored as accepted, not as a correction.
    expect(accepted.source).toBe('accepted');
  });

  it('asks before leaving unsaved edits: cancel stays, discard moves on without a version', async () => {
    const images = await api<ImageSummary[]>('images.list', {});
    const [, b, c] = images;
    await openEditorOn(b.id);
    const at = await canvasPoint(page);
    await page.getByTestId('tool-brush').click();
    await page.getByTestId('class-nucleus').click();
    await page.mouse.move(at(10, 10).x, at(10, 10).y);
    await page.mouse.down();
    await page.mouse.move(at(40, 12).x, at(40, 12).y, { steps: 8 });
    await page.mouse.up();
    expect(await page.getByTestId('editor').getAttribute('data-dirty')).toBe('true');
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('leave-prompt').waitFor();
    await shot(page, 'day2-04-leave-prompt');
    await page.getByTestId('leave-cancel').click();
    expect(await page.getByTestId('editor').getAttribute('data-image-id')).toBe(String(b.id));
    // The browser's back button asks too, and cancelling keeps the image and its edits.
    await page.evaluate(() => window.history.back());
    await page.getByTestId('leave-prompt').waitFor();
    await page.getByTestId('leave-cancel').click();
    expect(await page.getByTestId('editor').getAttribute('data-image-id')).toBe(String(b.id));
    expect(await page.getByTestId('editor').getAttribute('data-dirty')).toBe('true');
    await page.getByTestId('tab-compare').click();
    await page.getByTestId('leave-prompt').waitFor();
    await page.getByTestId('leave-discard').click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toMatch(/#\/compare/);
    expect(await gtVersions(b.id)).toHaveLength(0);
    expect(await gtVersions(c.id)).toHaveLength(0);
  });

  it('segments the image at hand and offers the result to edit, accept or discard', async () => {
    const images = await api<ImageSummary[]>('images.list', {});
    const c = images[2];
    await openEditorOn(c.id);
    // The default model (registered as default@1 on first use), as a technician would.
    await page.getByTestId('segment-model').selectOption('default');
    await page.getByTestId('segment-run').click();
    const proposal = page.getByTestId('segment-proposal');
    await proposal.waitFor({ timeout: 120_000 });
    expect(await proposal.textContent()).toContain('default@');
    await shot(page, 'day2-05-segment-proposal');
    expect(await gtVersions(c.id)).toHaveLength(0);
    await page.getByTestId('proposal-edit').click();
    await proposal.waitFor({ state: 'detached' });
    expect(await page.getByTestId('editor').getAttribute('data-dirty')).toBe('false');
    expect(await gtVersions(c.id)).toHaveLength(0);
  });

  it('keeps a polygon open through fast clicks far apart, closes on a double-click at the last vertex', async () => {
    const at = await canvasPoint(page);
    await page.getByTestId('tool-polygon').click();
    await page.getByTestId('class-cytoplasm').click();
    const pts = [[20, 20], [60, 18], [64, 60], [22, 64]];
    for (const [x, y] of pts) await page.mouse.click(at(x, y).x, at(x, y).y, { delay: 0 });
    expect(await page.getByTestId('editor').getAttribute('data-dirty')).toBe('false');
    await page.mouse.move(at(40, 75).x, at(40, 75).y);
    await shot(page, 'day2-06-polygon-preview-halo');
    await page.mouse.dblclick(at(22, 64).x, at(22, 64).y);
    await expect.poll(() => page.getByTestId('editor').getAttribute('data-dirty')).toBe('true');
    await page.getByTestId('discard').click();
    expect(await page.getByTestId('editor').getAttribute('data-dirty')).toBe('false');
  });

  it("follows the Cellpose keys in the editor: , and . size the brush, X/Z toggle masks and outlines", async () => {
    await page.getByTestId('tool-brush').click();
    const before = Number(await page.getByTestId('brush-size').inputValue());
    await page.keyboard.press('.');
    await expect.poll(async () => Number(await page.getByTestId('brush-size').inputValue())).toBeGreaterThan(before);
    await page.keyboard.press(',');
    await expect.poll(async () => Number(await page.getByTestId('brush-size').inputValue())).toBe(before);
    await page.keyboard.press('z');
    expect(await page.getByTestId('overlay-outline').isChecked()).toBe(true);
    await page.keyboard.press('z');
    await page.keyboard.press('x');
    expect(await page.getByTestId('overlay-visible').isChecked()).toBe(false);
    await page.keyboard.press('x');
    expect(await page.getByTestId('overlay-visible').isChecked()).toBe(true);
  });

  it('draws the high-contrast and colour-blind palettes, a wider outline and a readable selected cell', async () => {
    await page.getByTestId('tab-settings').click();
    await page.getByTestId('settings-palette').selectOption('colorblind');
    await page.getByTestId('settings-outline-width').fill('2');
    await expect.poll(async () => (await api<{ settings: { overlayPalette: string } }>('project.current')).settings.overlayPalette).toBe('colorblind');
    const images = await api<ImageSummary[]>('images.list', {});
    await openEditorOn(images[0].id);
    await shot(page, 'day2-07-palette-colorblind');
    // Select the cell under the image centre.
    const at = await canvasPoint(page);
    await page.getByTestId('tool-select').click();
    await page.mouse.click(at(64, 64).x, at(64, 64).y);
    await shot(page, 'day2-08-selected-cell');
    await page.getByTestId('tab-settings').click();
    await page.getByTestId('settings-palette').selectOption('high-contrast');
    await openEditorOn(images[0].id);
    await page.getByTestId('overlay-outline').check();
    await shot(page, 'day2-09-palette-high-contrast-outline');
    await page.getByTestId('overlay-outline').uncheck();
  });

  it('re-fits the image after a window resize', async () => {
    const zoom = async () => Number((await page.getByTestId('editor-zoom').textContent())?.replace(/\D/g, ''));
    const before = await zoom();
    await page.setViewportSize({ width: 1000, height: 640 });
    await expect.poll(zoom).toBeLessThan(before);
    await page.setViewportSize({ width: 1440, height: 900 });
    await expect.poll(zoom).toBe(before);
  });

  it('shows image counts in the folder browser and clear states for empty and missing folders', async () => {
    await page.getByTestId('tab-gallery').click();
    await page.getByTestId('import-open').click();
    await page.getByTestId('folder-here-count').waitFor();
    await page.getByTestId('folder-path-input').fill(bmps);
    await page.getByTestId('folder-path-input').press('Enter');
    await expect.poll(() => page.getByTestId('folder-here-count').getAttribute('data-images')).toBe('20');
    expect(await page.getByTestId('import-browser').textContent()).not.toContain('(empty)');
    await shot(page, 'day2-10-folder-browser-bmps');
    // Chosen once, the folder is where the browser starts next time (remembered per project).
    await page.getByTestId('folder-choose').click();
    expect(await page.getByTestId('import-folder').inputValue()).toBe(bmps);
    await page.keyboard.press('Escape');
    await page.getByTestId('import-dialog').waitFor({ state: 'detached' });
    await page.getByTestId('import-open').click();
    await expect.poll(() => page.getByTestId('folder-path-input').inputValue()).toBe(bmps);
    await page.getByTestId('import-folder').fill(empty);
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-empty').waitFor();
    expect(await page.getByTestId('import-empty').textContent()).toContain(`No images found in ${empty}`);
    await shot(page, 'day2-11-import-empty');
    await page.getByTestId('import-folder').fill(join(work, 'no-such-folder'));
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-error').waitFor();
    expect(await page.getByTestId('import-error').textContent()).toContain('no-such-folder');
    expect(await page.getByTestId('import-progress-bar').count()).toBe(0);
    await page.keyboard.press('Escape');
  });

  it('keeps a typed model name when a version to fine-tune is picked', async () => {
    await page.getByTestId('tab-train').click();
    await page.getByTestId('train-name').fill('my-tuned');
    await page.getByTestId('train-from').selectOption('default@1');
    expect(await page.getByTestId('train-name').inputValue()).toBe('my-tuned');
    await page.getByTestId('train-images-reviewed').click();
    await shot(page, 'day2-12-train-form');
  });

  it('offers only sources with masks in Reports and links to the written file', async () => {
    await page.getByTestId('tab-reports').click();
    const options = await page.getByTestId('report-source').locator('option').allTextContents();
    expect(options.some((o) => /no stored predictions/.test(o))).toBe(false);
    await page.getByTestId('report-source').selectOption('active-contour');
    await page.getByTestId('report-format-csv').click();
    await page.getByTestId('report-dir').fill(work);
    await page.getByTestId('report-name').fill('day2-report');
    await page.getByTestId('report-export').click();
    await page.getByTestId('report-result').waitFor({ timeout: 60_000 });
    const href = await page.getByTestId('report-open').getAttribute('href');
    expect(href).toBeTruthy();
    const got = await page.evaluate(async (u) => {
      const r = await fetch(u!);
      return { status: r.status, text: await r.text() };
    }, href);
    expect(got.status).toBe(200);
    expect(got.text.split('\n')[0]).toMatch(/image|file|name/i);
    await shot(page, 'day2-13-report-link');
  });

  it('loads no thumbnails of the old project after a project switch', async () => {
    const other = join(work, 'other.hemaseg');
    expect((await cli(['init', other])).code).toBe(0);
    expect((await cli(['import', other, join(smears, 'images'), '--mask-convention', 'none'])).code).toBe(0);
    await page.getByTestId('tab-gallery').click();
    await page.getByTestId('gallery-tile').first().waitFor();
    // The smallest tiles: mask chips stay inside their tile.
    await page.getByLabel('Tile size').fill('96');
    await page.waitForTimeout(300);
    for (const tile of await page.getByTestId('gallery-tile').all()) {
      const t = (await tile.boundingBox())!;
      const line = (await tile.locator('.tile-line.small').boundingBox())!;
      for (const chip of await tile.locator('.tile-line.small > *').all()) {
        const c = await chip.boundingBox();
        if (c && c.width > 0) expect(Math.min(c.x + c.width, line.x + line.width) - 0.5).toBeLessThanOrEqual(t.x + t.width);
      }
      const fit = await tile.locator('.tile-line.small').evaluate((el) => ({ ok: el.scrollWidth <= el.clientWidth + 1, detail: `${el.scrollWidth} > ${el.clientWidth}: ${[...el.children].map((c) => `${c.className}=${(c as HTMLElement).offsetWidth}`).join(', ')}` }));
      if (!fit.ok) await shot(page, 'day2-14-small-tiles');
      expect(fit.ok, fit.detail).toBe(true);
    }
    await shot(page, 'day2-14-small-tiles');
    const missing: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 404 && r.url().includes('/media/')) missing.push(r.url());
    });
    await page.getByTestId('project-switch').click();
    await page.getByTestId('picker-mode-open').click();
    await page.getByTestId('project-path-input').fill(other);
    await page.getByTestId('project-open').click();
    await expect.poll(() => page.getByTestId('status-project').textContent()).toContain('other.hemaseg');
    await page.getByTestId('gallery-tile').first().waitFor();
    await page.waitForTimeout(1000);
    expect(missing).toEqual([]);
  });
});
