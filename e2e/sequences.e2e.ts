// Issue 13.1 in a browser: a small generated film beside loose smears. The gallery shows the
// film as one tile with its frame count and opens its frames; the editor's frame bar scrubs
// (keys, slider, play), shows the previous frame's mask as an onion skin, and copies it as an
// undoable edit; moving frames with unsaved edits asks first. Screenshots go to
// e2e-artifacts/sequences-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { cli, launchBrowser, serve, shot, tempDir, type Host } from './harness';
import { decodeMessage, encodeMessage } from '../src/shared/wire';
import type { MaskVersionInfo } from '../src/shared/domain';

let host: Host;
let browser: Browser;
let page: Page;
const work = tempDir();
const project = join(work, 'film.hemaseg');
const FRAMES = 30;

const frameBar = () => page.getByTestId('frame-bar');
const frameIndex = async (): Promise<string | null> => frameBar().getAttribute('data-frame-index');
const editorImage = async (): Promise<string | null> => page.getByTestId('editor').getAttribute('data-image-id');

async function api<T>(method: string, args: unknown = null): Promise<T> {
  const res = await fetch(`${host.origin}/api/call/${method}`, { method: 'POST', headers: { 'x-hemaseg-token': host.token }, body: encodeMessage(args) as BodyInit });
  const body = decodeMessage<{ ok: boolean; value: T; error?: { message: string } }>(new Uint8Array(await res.arrayBuffer()));
  if (!body.ok) throw new Error(body.error!.message);
  return body.value;
}

/** The image id of frame k of the film (tiles carry names; the film's frames are named ...frame_NNNN.png). */
async function frameId(k: number): Promise<string> {
  const tile = page.locator(`[data-testid=gallery-tile][data-image-name$="frame_${String(k).padStart(4, '0')}.png"]`);
  const id = await tile.getAttribute('data-image-id');
  if (!id) throw new Error(`no tile for frame ${k}`);
  return id;
}

beforeAll(async () => {
  expect((await cli(['init', project])).code).toBe(0);
  const flow = await cli(['synth', 'flow', project, '--frames', String(FRAMES), '--size', '96', '--cells', '8', '--films', '1', '--seed', '4']);
  expect(flow.code, flow.stderr).toBe(0);
  const smear = await cli(['synth', 'smear', project, '--count', '3', '--size', '96', '--seed', '2']);
  expect(smear.code, smear.stderr).toBe(0);
  host = await serve([project], { HEMASEG_HOME: tempDir() });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(host.url);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('sequences in the gallery and the editor', () => {
  it('shows the film as one tile with its frame count beside the loose images', async () => {
    const tile = page.getByTestId('sequence-tile');
    await tile.waitFor();
    expect(await page.getByTestId('sequence-tile').count()).toBe(1);
    expect(await tile.getAttribute('data-frame-count')).toBe(String(FRAMES));
    expect(await page.getByTestId('sequence-frame-count').textContent()).toMatch(new RegExp(`${FRAMES} frames`));
    expect(await page.getByTestId('gallery-tile').count()).toBe(3);
    // The cover frame's thumbnail has loaded (the middle frame, 14 of 0-29).
    await expect.poll(() => tile.locator('img').first().evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0)).toBe(true);
    expect(await page.getByTestId('sequence-labelled').textContent()).toBe('6 labelled · seed000');
    await expect.poll(() => page.getByTestId('gallery-count').textContent()).toMatch(new RegExp(`^${FRAMES + 3} of ${FRAMES + 3} images · 1 sequence as one tile`));
    await shot(page, 'sequences-01-gallery-tile');
  });

  it('opens the film into its frames and filters by sequence', async () => {
    await page.getByTestId('sequence-tile').dblclick();
    await page.getByTestId('gallery-sequence-banner').waitFor();
    await expect.poll(() => page.getByTestId('gallery-grid').getAttribute('data-count')).toBe(String(FRAMES));
    expect(await page.getByTestId('gallery-sequence-banner').textContent()).toMatch(new RegExp(`${FRAMES} of ${FRAMES} frames shown`));
    expect(await page.locator('[data-testid=tile-frame]').first().textContent()).toBe('#0');
    // The labelled frames' mask overlays have loaded (frames 0, 5, 10, 15 are in view).
    await expect
      .poll(() => page.locator('img.thumb-overlay').evaluateAll((els) => els.filter((e) => (e as HTMLImageElement).complete && (e as HTMLImageElement).naturalWidth > 0).length))
      .toBeGreaterThanOrEqual(4);
    await shot(page, 'sequences-02-frames');
    // The filter panel offers the same choice; "no frame" shows the loose images only.
    await page.getByTestId('filter-sequence').selectOption('none');
    await expect.poll(() => page.getByTestId('gallery-grid').getAttribute('data-count')).toBe('3');
    await page.getByTestId('filter-sequence').selectOption({ index: 2 });
    await expect.poll(() => page.getByTestId('gallery-grid').getAttribute('data-count')).toBe(String(FRAMES));
  });

  it('scrubs frames with the keys and the slider, and plays', async () => {
    const f6 = await frameId(6);
    await page.locator(`[data-testid=gallery-tile][data-image-id="${f6}"]`).dblclick();
    await expect.poll(frameIndex).toBe('6');
    await page.keyboard.press('Alt+ArrowRight');
    await expect.poll(frameIndex).toBe('7');
    await page.keyboard.press('Shift+Comma'); // '<'
    await expect.poll(frameIndex).toBe('6');
    await page.getByTestId('frame-slider').focus();
    await page.keyboard.press('End');
    await expect.poll(frameIndex).toBe(String(FRAMES - 1));
    await page.getByTestId('frame-slider').focus();
    await page.keyboard.press('Home');
    await expect.poll(frameIndex).toBe('0');
    await page.getByTestId('frame-play').click();
    await expect.poll(async () => Number(await frameIndex()), { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    await page.getByTestId('frame-play').click();
    await expect.poll(() => frameBar().getAttribute('data-playing')).toBe('false');
  });

  it("shows the previous frame's mask as an onion skin and copies it as an undoable edit", async () => {
    await page.evaluate(() => (window.location.hash = '#/gallery'));
    await page.getByTestId('gallery-grid').waitFor();
    const f6 = await frameId(6);
    await page.evaluate((id) => (window.location.hash = `#/editor/${id}`), f6);
    await expect.poll(frameIndex).toBe('6');
    expect(await page.getByTestId('editor').getAttribute('data-start-kind')).toBe('empty'); // frame 6 is unlabelled
    await page.getByTestId('frame-onion').check();
    await expect.poll(() => page.getByTestId('frame-onion-note').textContent()).toMatch(/frame 5: ground truth/);
    await page.waitForTimeout(300);
    await shot(page, 'sequences-03-onion-skin');

    await page.getByTestId('frame-copy-previous').click();
    await expect.poll(() => page.getByTestId('editor').getAttribute('data-dirty')).toBe('true');
    expect(await page.getByTestId('editor-message').textContent()).toMatch(/Copied the mask of frame 5/);
    expect(await page.getByTestId('save-state').textContent()).toBe('Unsaved edits');
    await page.getByTestId('frame-onion').uncheck();
    await page.waitForTimeout(300);
    await shot(page, 'sequences-04-copied-mask');

    // Unsaved edits: the next frame asks first; cancel stays on frame 6 with the edit.
    await page.keyboard.press('Alt+ArrowRight');
    await page.getByTestId('leave-prompt').waitFor();
    await shot(page, 'sequences-05-leave-prompt');
    await page.getByTestId('leave-cancel').click();
    expect(await frameIndex()).toBe('6');
    expect(await page.getByTestId('editor').getAttribute('data-dirty')).toBe('true');

    // The copy is one undo step, and it was never saved.
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('editor').getAttribute('data-dirty')).toBe('false');
    const versions = await api<MaskVersionInfo[]>('masks.versions', { imageId: Number(await editorImage()) });
    expect(versions.filter((v) => v.kind === 'ground-truth')).toEqual([]);
    // With nothing unsaved, the next frame opens without asking.
    await page.keyboard.press('Alt+ArrowRight');
    await expect.poll(frameIndex).toBe('7');
    expect(await page.getByTestId('leave-prompt').count()).toBe(0);
  });

  it('lists the frame keys in the help sheet', async () => {
    await page.keyboard.press('Shift+Slash'); // '?'
    await page.getByTestId('shortcut-help').waitFor();
    for (const id of ['frame.next', 'frame.previous', 'frame.play', 'frame.onion', 'frame.copyPrevious']) {
      expect(await page.locator(`[data-testid=shortcut-row][data-action="${id}"]`).count(), id).toBe(1);
    }
    expect(await page.locator('[data-testid=shortcut-row][data-action="frame.next"] kbd').allTextContents()).toEqual(['>', 'Alt+→']);
    await page.locator('[data-testid=shortcut-row][data-action="frame.next"]').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shot(page, 'sequences-06-help');
  });
});
