import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from '../project/project';
import { importFolder } from './import-folder';
import { exportMasks, ExportRefusedError, maskFileName } from './export-masks';
import { encodeSeed } from './fuzz/make-files';
import { makeImageFolder, tempDir } from '../testing/fixtures';

describe('export-masks safety', () => {
  it('refuses a non-empty folder without force, writing nothing', async () => {
    const dir = tempDir();
    await makeImageFolder(dir, 3, { formats: ['bmp'] });
    const p = Project.open(join(tempDir(), 'p.hemaseg'), { create: true });
    await importFolder(p, dir, { maskConvention: 'gray3' });
    const out = tempDir();
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    await expect(exportMasks(p, out, { kind: 'ground-truth', convention: 'gray3' })).rejects.toThrow(ExportRefusedError);
    await expect(exportMasks(p, out, { kind: 'ground-truth', convention: 'gray3' })).rejects.toThrow(/not empty .* --force/);
    expect(readdirSync(out)).toEqual(['notes.txt']);
    const r = await exportMasks(p, out, { kind: 'ground-truth', convention: 'gray3', force: true });
    expect(r.written).toBe(3);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('keep me');
    p.close();
  });

  it('never writes over the files the masks were imported from, even with force', async () => {
    const dir = tempDir();
    await makeImageFolder(dir, 3, { formats: ['bmp'] });
    const p = Project.open(join(tempDir(), 'p.hemaseg'), { create: true });
    await importFolder(p, dir, { maskConvention: 'gray3' });
    const before = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]));
    await expect(exportMasks(p, dir, { kind: 'ground-truth', convention: 'rgb', force: true })).rejects.toThrow(/0001\.png: the mask of 0001\.bmp was imported from this file/);
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f)).equals(before[f]), f).toBe(true);
    p.close();
  });

  it('shortens names longer than the filesystem allows with a hash suffix', async () => {
    expect(maskFileName('short')).toBe('short.png');
    const long = 'é'.repeat(200); // 400 bytes
    const a = maskFileName(long);
    const b = maskFileName(`${long}x`);
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(255);
    expect(a).toMatch(/^é+~[0-9a-f]{10}\.png$/);
    expect(a).not.toBe(b);
    // Images whose names fill the 255-byte limit: the old export ran out of room adding .tmp.
    const dir = tempDir();
    const stem = `${'n'.repeat(120)}-${'ü'.repeat(65)}`; // 251 bytes
    writeFileSync(join(dir, `${stem}.bmp`), await encodeSeed('bmp', 16, 16, 1));
    writeFileSync(join(dir, `${stem}.jpg`), await encodeSeed('jpeg', 16, 16, 2));
    const masks = tempDir();
    const p = Project.open(join(tempDir(), 'p.hemaseg'), { create: true });
    await importFolder(p, dir, { maskConvention: 'none' });
    for (const img of p.images.list()) p.masks.append({ imageId: img.id, kind: 'ground-truth', source: 'imported', author: 't', mask: { width: 16, height: 16, labels: new Uint8Array(256).fill(1) } });
    const out = join(masks, 'out');
    const r = await exportMasks(p, out, { kind: 'ground-truth', convention: 'gray3' });
    expect(r.written).toBe(2);
    const names = readdirSync(out);
    expect(names).toHaveLength(2);
    for (const n of names) expect(Buffer.byteLength(n)).toBeLessThanOrEqual(255);
    expect(names).toContain(`${stem}.png`);
    p.close();
  });
});
