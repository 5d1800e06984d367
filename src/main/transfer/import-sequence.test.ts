import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Project } from '../project/project';
import { importFolder } from './import-folder';
import { frameNumberOf, importSequenceFolder } from './import-sequence';
import { decodeIntensity } from '../imaging/decode-intensity';
import { makeCell, tempDir, writePng } from '../testing/fixtures';
import { writeTiffStack } from '../testing/tiff-writer';

const open = (): Project => Project.open(join(tempDir(), 'p.hemaseg'), { create: true });

/** frame_NNNN.png of a moving cell; `size` per frame number overrides 32. */
async function frameFolder(dir: string, numbers: number[], sizes: Record<number, number> = {}): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const n of numbers) {
    const s = sizes[n] ?? 32;
    await writePng(join(dir, `frame_${String(n).padStart(4, '0')}.png`), makeCell(n, s, s).rgb, s, s, 3);
  }
}

describe('frame numbers', () => {
  it('reads the last number in the stem', () => {
    expect(frameNumberOf('/x/frame_0012.png')).toBe(12);
    expect(frameNumberOf('t005.tif')).toBe(5);
    expect(frameNumberOf('pos2_t007_mask.png')).toBe(7);
    expect(frameNumberOf('cover.png')).toBeNull();
  });
});

describe('numbered-frame folders (--as-sequence)', () => {
  it('imports frames in number order with sparse masks; gaps, odd sizes, unnumbered files and masks for missing frames are reported per file', async () => {
    const root = tempDir();
    const folder = join(root, 'cells');
    await frameFolder(folder, [0, 1, 2, 5, 6, 7, 10], { 6: 40 });
    await writePng(join(folder, 'cover.png'), makeCell(99, 32, 32).rgb, 32, 32, 3);
    const masks = join(root, 'masks');
    mkdirSync(masks);
    for (const n of [1, 6, 10, 12]) {
      const s = n === 6 ? 40 : 32;
      await writePng(join(masks, `mask_${n}.png`), makeCell(n, s, s).gray3, s, s, 1);
    }
    const p = open();
    const r = await importSequenceFolder(p, folder, { frameInterval: 2 }, { masksDir: masks });
    expect(r.imported).toBe(6);
    expect(r.masksImported).toBe(2); // frames 1 and 10; frame 6 is skipped with its mask
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.file.replace(/^.*\//, ''), s.reason]));
    expect(reasons['cover.png']).toMatch(/no frame number/);
    expect(reasons['frame_0006.png']).toMatch(/frame 6 is 40x40 but most frames are 32x32 \(its mask was not imported either\)/);
    expect(reasons['mask_12.png']).toMatch(/mask for frame 12, which the sequence does not have/);
    expect(r.notes.map((n) => [n.file, n.note])).toEqual([
      ['frame_0005.png', 'gap in the numbering: frames 3-4 are missing before it'],
      ['frame_0010.png', 'gap in the numbering: frames 8-9 are missing before it'],
    ]);
    const [seq] = p.sequences.list();
    expect(seq).toMatchObject({ name: 'cells', frameCount: 6, labelledFrames: 2, frameInterval: 2, width: 32, height: 32, splitMode: 'sequence' });
    const frames = p.images.list({ sequenceId: seq.id });
    expect(frames.map((f) => f.frameIndex)).toEqual([0, 1, 2, 5, 7, 10]);
    expect(frames.filter((f) => f.maskKinds.includes('ground-truth')).map((f) => f.frameIndex)).toEqual([1, 10]);
    // Importing again adds nothing.
    const again = await importSequenceFolder(p, folder, { frameInterval: 2 }, { masksDir: masks });
    expect(again.imported).toBe(0);
    expect(again.duplicates).toBe(6);
    expect(p.sequences.get(seq.id)?.frameCount).toBe(6);
    p.close();
  });

  it('refuses --recursive and an unknown protocol before writing anything, and applies seed000 per frame', async () => {
    const folder = join(tempDir(), 'film');
    await frameFolder(folder, [0, 3, 5, 10]);
    const p = open();
    await expect(importSequenceFolder(p, folder, {}, { recursive: true })).rejects.toThrow(/--recursive does not apply/);
    await expect(importSequenceFolder(p, folder, { protocol: 'nope' })).rejects.toThrow(/unknown split protocol 'nope'/);
    expect(p.images.count()).toBe(0);
    await importSequenceFolder(p, folder, { name: 'film A', protocol: 'seed000' });
    expect(p.sequences.byName('film A')?.bySplit).toEqual({ train: 2, val: 0, test: 1, unused: 1 });
    p.close();
  });
});

describe('multi-page TIFF stacks', () => {
  const page = (value: number, w = 12, h = 10): Uint8Array => Uint8Array.from({ length: w * h }, (_, i) => (value + i) % 256);

  it('imports a stack as a sequence; a bad page, an odd-sized page and mask pages past the end are reported, the rest imported', async () => {
    const folder = join(tempDir(), 'stacks');
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'movie.tif'),
      writeTiffStack([
        { width: 12, height: 10, data: page(0) },
        { width: 12, height: 10, data: page(40), broken: true },
        { width: 12, height: 10, data: page(80) },
        { width: 20, height: 10, data: page(90, 20, 10) },
        { width: 12, height: 10, data: page(120) },
      ]),
    );
    const label = (v: number): Uint8Array => Uint8Array.from({ length: 120 }, (_, i) => (i % 12 < 6 ? v : 0));
    // Masks for frames 0 and 2 (index convention), and two pages for frames the stack does not have.
    writeFileSync(join(folder, 'movie_mask.tif'), writeTiffStack([0, 1, 2, 3, 4, 5, 6].map((k) => ({ width: 12, height: 10, data: label(k === 0 || k === 2 ? 1 : 0) }))));
    const p = open();
    const r = await importFolder(p, folder, { maskConvention: 'index' });
    expect(r.imported).toBe(3);
    const reasons = r.skipped.map((s) => `${s.file}: ${s.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^movie\.tif page 1: .*unreadable page/),
        expect.stringMatching(/^movie\.tif page 3: frame 3 is 20x10 but most frames of the stack are 12x10/),
        expect.stringMatching(/^movie_mask\.tif page 5: mask for frame 5, which the stack does not have \(it has 5 pages\)/),
        expect.stringMatching(/^movie_mask\.tif page 6: mask for frame 6/),
      ]),
    );
    const [seq] = p.sequences.list();
    expect(seq).toMatchObject({ name: 'movie', frameCount: 3, width: 12, height: 10 });
    const frames = p.images.list({ sequenceId: seq.id });
    expect(frames.map((f) => [f.name, f.frameIndex])).toEqual([
      ['movie_p0000.png', 0],
      ['movie_p0002.png', 2],
      ['movie_p0004.png', 4],
    ]);
    const gt = frames.map((f) => p.masks.current(f.id, 'ground-truth'));
    expect(gt.map((m) => m !== null)).toEqual([true, true, true]);
    expect(p.masks.load(gt[1]!.id)?.labels.filter((v) => v === 1).length).toBe(60);
    p.close();
  });

  it('keeps 16 bits of a 16-bit stack; a stack inside an --as-sequence folder is refused by name', async () => {
    const folder = join(tempDir(), 'deep');
    mkdirSync(folder);
    const values = (k: number): Uint16Array => Uint16Array.from({ length: 64 }, (_, i) => 30000 + k * 7 + i);
    writeFileSync(join(folder, 'deep.tif'), writeTiffStack([0, 1, 2].map((k) => ({ width: 8, height: 8, data: values(k) }))));
    const p = open();
    await importFolder(p, folder);
    const frames = p.images.list({ sequenceId: p.sequences.list()[0].id });
    const stored = p.images.bytes(frames[1].id);
    const img = await decodeIntensity(stored!.bytes, frames[1].name);
    expect(img.bits).toBe(16);
    expect(Array.from(img.data.slice(0, 3), (v) => Math.round(v * 65535))).toEqual([30007, 30008, 30009]);

    const seqFolder = join(tempDir(), 'frames');
    await frameFolder(seqFolder, [1, 2]);
    writeFileSync(join(seqFolder, 'frame_0003.tif'), writeTiffStack([0, 1].map((k) => ({ width: 8, height: 8, data: values(k) }))));
    const r = await importSequenceFolder(p, seqFolder, {});
    expect(r.imported).toBe(2);
    expect(r.skipped).toEqual([{ file: 'frame_0003.tif', reason: 'a multi-page TIFF (2 pages) is a sequence by itself: import it without --as-sequence' }]);
    p.close();
  });
});
