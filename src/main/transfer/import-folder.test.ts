import { describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { Project } from '../project/project';
import { importFolder } from './import-folder';
import { exportMasks } from './export-masks';
import { makeImageFolder, tempDir, writePng } from '../testing/fixtures';

async function rawGray(file: string): Promise<Uint8Array> {
  const { data } = await sharp(readFileSync(file)).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

describe('import a folder', () => {
  it('imports all four formats with masks beside them, once', async () => {
    const dir = tempDir();
    await makeImageFolder(dir, 12);
    const p = Project.open(join(tempDir(), 'p.hemaseg'), { create: true });
    const r = await importFolder(p, dir, { maskConvention: 'gray3' });
    expect(r.imported).toBe(12);
    expect(r.masksImported).toBe(12);
    expect(r.skipped).toEqual([]);
    expect(new Set(p.images.list().map((i) => i.format))).toEqual(new Set(['bmp', 'png', 'jpeg', 'tiff']));
    const again = await importFolder(p, dir, { maskConvention: 'gray3' });
    expect(again.imported).toBe(0);
    expect(again.duplicates).toBe(12);
    expect(p.counts().masksByKind['ground-truth']).toBe(12);
    p.close();
  });

  it('skips corrupt files and mismatched masks with reasons, importing the rest', async () => {
    const dir = tempDir();
    await makeImageFolder(dir, 4, { formats: ['bmp'] });
    const bmp = readFileSync(join(dir, '0002.bmp'));
    writeFileSync(join(dir, '0002.bmp'), bmp.subarray(0, 500));
    await writePng(join(dir, '0003.png'), new Uint8Array(10 * 10), 10, 10, 1);
    writeFileSync(join(dir, 'broken.png'), Buffer.from('not a png at all'));
    const p = Project.open(join(tempDir(), 'p.hemaseg'), { create: true });
    const r = await importFolder(p, dir, { maskConvention: 'gray3' });
    expect(r.imported).toBe(3);
    expect(r.masksImported).toBe(2);
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.file, s.reason]));
    expect(reasons['0002.bmp']).toMatch(/truncated BMP/);
    expect(reasons['0003.png']).toMatch(/mask is 10x10 but its image 0003\.bmp is 48x48/);
    expect(reasons['broken.png']).toMatch(/unsupported or unrecognised/);
    p.close();
  });

  it('pairs masks from a separate folder and exports them back pixel-exactly', async () => {
    const dir = tempDir();
    await makeImageFolder(dir, 6, { formats: ['bmp'] });
    const masks = tempDir();
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.png'))) copyFileSync(join(dir, f), join(masks, f));
    const imagesOnly = tempDir();
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.bmp'))) copyFileSync(join(dir, f), join(imagesOnly, f));
    const p = Project.open(join(tempDir(), 'p.hemaseg'), { create: true });
    const r = await importFolder(p, imagesOnly, { masksDir: masks, maskConvention: 'gray3' });
    expect(r.masksImported).toBe(6);
    const out = tempDir();
    const e = await exportMasks(p, out, { kind: 'ground-truth', convention: 'gray3' });
    expect(e.written).toBe(6);
    for (const f of readdirSync(masks)) expect(await rawGray(join(out, f))).toEqual(await rawGray(join(masks, f)));
    p.close();
  });

  it('reads rgb and binary conventions', async () => {
    const dir = tempDir();
    await makeImageFolder(dir, 2, { formats: ['bmp'] });
    // Rewrite mask 1 as rgb (blue bg, green cyto, red nucleus) and mask 2 as binary.
    const g1 = await rawGray(join(dir, '0001.png'));
    const rgb = new Uint8Array(g1.length * 3);
    g1.forEach((v, i) => rgb.set(v === 255 ? [255, 0, 0] : v === 128 ? [0, 255, 0] : [0, 0, 255], i * 3));
    await writePng(join(dir, '0001.png'), rgb, 48, 48, 3);
    const g2 = await rawGray(join(dir, '0002.png'));
    await writePng(join(dir, '0002.png'), g2.map((v) => (v ? 255 : 0)), 48, 48, 1);
    const p = Project.open(join(tempDir(), 'p.hemaseg'), { create: true });
    const r = await importFolder(p, dir, { maskConvention: 'auto' });
    expect(r.masksImported).toBe(2);
    const [a, b] = p.images.list();
    const ma = p.masks.load(p.masks.current(a.id, 'ground-truth')!.id)!;
    const mb = p.masks.load(p.masks.current(b.id, 'ground-truth')!.id)!;
    expect(Array.from(ma.labels)).toEqual(Array.from(g1).map((v) => (v === 255 ? 2 : v === 128 ? 1 : 0)));
    expect(Array.from(mb.labels)).toEqual(Array.from(g2).map((v) => (v ? 1 : 0)));
    p.close();
  });

  it('a mask in the wrong convention is refused, not imported as garbage', async () => {
    const dir = tempDir();
    await makeImageFolder(dir, 1, { formats: ['bmp'] });
    const noisy = new Uint8Array(48 * 48).map((_, i) => (i * 37) % 256);
    await writePng(join(dir, '0001.png'), noisy, 48, 48, 1);
    const p = Project.open(join(tempDir(), 'p.hemaseg'), { create: true });
    const r = await importFolder(p, dir, { maskConvention: 'gray3' });
    expect(r.imported).toBe(1);
    expect(r.masksImported).toBe(0);
    expect(r.skipped[0].reason).toMatch(/gray3 convention/);
    p.close();
  });
});
