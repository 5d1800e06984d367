import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { Project } from '../project/project';
import type { ImportReport } from '../../shared/domain';
import { importFolder } from './import-folder';
import { bombs, encodeSeed, pictureRgb, pngWithSize, tiffIfdFirst } from './fuzz/make-files';
import { makeImageFolder, tempDir, writePng } from '../testing/fixtures';

const reasons = (r: ImportReport): Record<string, string> => Object.fromEntries(r.skipped.map((s) => [s.file, s.reason]));
const newProject = (): Project => Project.open(join(tempDir(), 'p.hemaseg'), { create: true });

describe('import hardening', () => {
  it('skips declared-size bombs of every format, images and masks, per file, and imports the rest', async () => {
    const dir = tempDir();
    await makeImageFolder(dir, 3, { formats: ['bmp'] });
    for (const [name, bytes] of Object.entries(await bombs(16000))) writeFileSync(join(dir, name), bytes);
    // A mask bomb beside a good image: refused on its header, the image still imports.
    writeFileSync(join(dir, 'withbomb.bmp'), await encodeSeed('bmp', 48, 48, 9));
    writeFileSync(join(dir, 'withbomb.png'), pngWithSize(await encodeSeed('png', 8, 8, 1), 16000, 16000));
    const p = newProject();
    const before = process.memoryUsage().rss;
    const r = await importFolder(p, dir, { maskConvention: 'gray3' });
    expect(process.memoryUsage().rss - before).toBeLessThan(300e6);
    expect(r.imported).toBe(4);
    expect(r.masksImported).toBe(3);
    const why = reasons(r);
    for (const name of ['bomb-rle.bmp', 'bomb-bmp.bmp', 'bomb-png.png', 'bomb-jpeg.jpg', 'bomb-tiff.tif']) {
      expect(why[name], name).toMatch(/declares 16000x16000 \(256 megapixels\), over the 50-megapixel decoding limit/);
    }
    expect(why['withbomb.png']).toMatch(/mask skipped: mask is 16000x16000 but its image withbomb\.bmp is 48x48/);
    expect(p.db.pragma('integrity_check', { simple: true })).toBe('ok');
    p.close();
  });

  it('takes the limit from --max-megapixels or the project setting', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.png'), await encodeSeed('png', 200, 100, 1));
    writeFileSync(join(dir, 'b.jpg'), await encodeSeed('jpeg', 50, 50, 2));
    const p = newProject();
    p.settings.set({ maxMegapixels: 0.01 }); // 10,000 pixels
    let r = await importFolder(p, dir, { maskConvention: 'none' });
    expect(r.imported).toBe(1);
    expect(reasons(r)['a.png']).toMatch(/declares 200x100 .* over the 0\.01-megapixel decoding limit/);
    r = await importFolder(p, dir, { maskConvention: 'none', maxMegapixels: 0.02 });
    expect(r.imported).toBe(1);
    expect(r.duplicates).toBe(1);
    p.close();
  });

  it('a truncated TIFF is reported, not imported as a black image', async () => {
    const dir = tempDir();
    const tiff = tiffIfdFirst(64, 64, pictureRgb(64, 64, 1));
    writeFileSync(join(dir, 'whole.tif'), tiff);
    writeFileSync(join(dir, 'cut.tif'), tiff.subarray(0, tiff.length >> 1));
    const p = newProject();
    const r = await importFolder(p, dir, { maskConvention: 'none' });
    expect(r.imported).toBe(1);
    expect(reasons(r)['cut.tif']).toMatch(/truncated or damaged file/);
    p.close();
  });

  it('skips dangling symlinks, symlink loops and linked folders with a reason instead of aborting', async () => {
    const dir = tempDir();
    await makeImageFolder(dir, 2, { formats: ['png'] });
    mkdirSync(join(dir, 'sub'));
    await makeImageFolder(join(dir, 'sub'), 1, { formats: ['bmp'], seed: 7 });
    symlinkSync(join(dir, 'nowhere.png'), join(dir, 'dangling.png'));
    symlinkSync(join(dir, 'loop.png'), join(dir, 'loop.png'));
    symlinkSync(dir, join(dir, 'sub', 'up'));
    symlinkSync(join(dir, '0001_img.png'), join(dir, 'linked.png'));
    const p = newProject();
    const r = await importFolder(p, dir, { maskConvention: 'gray3', recursive: true });
    const why = reasons(r);
    expect(why['dangling.png']).toMatch(/cannot follow the symbolic link: not found/);
    expect(why['loop.png']).toMatch(/cannot follow the symbolic link: symbolic link loop \(ELOOP\)/);
    expect(why[join('sub', 'up')]).toMatch(/symbolic link to a folder, not followed/);
    // 2 PNG images + 1 BMP in sub + the linked file (same pixels, another name).
    expect(r.imported).toBe(4);
    p.close();
  });

  it('skips unreadable files and sub-folders (as a user without permission) and imports the rest', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o777);
    await makeImageFolder(dir, 2, { formats: ['bmp'] });
    mkdirSync(join(dir, 'locked'));
    await makeImageFolder(join(dir, 'locked'), 1, { formats: ['bmp'], seed: 3 });
    writeFileSync(join(dir, 'secret.bmp'), await encodeSeed('bmp', 32, 32, 4));
    chmodSync(join(dir, 'locked'), 0o000);
    chmodSync(join(dir, 'secret.bmp'), 0o000);
    const out = tempDir();
    chmodSync(out, 0o777);
    const tsx = createRequire(import.meta.url).resolve('tsx');
    // Root reads everything, so the import runs as 'nobody' when the tests run as root.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const child = spawnSync(process.execPath, ['--import', tsx, resolve(__dirname, '../testing/import-json-child.ts'), join(out, 'p.hemaseg'), dir, 'recursive'], {
      encoding: 'utf8', ...asUser, env: { ...process.env, HOME: out },
    });
    chmodSync(join(dir, 'locked'), 0o755);
    expect(child.status, child.stderr).toBe(0);
    const r = JSON.parse(child.stdout) as ImportReport;
    const why = reasons(r);
    expect(why.locked).toMatch(/folder skipped: permission denied \(EACCES\)/);
    expect(why['secret.bmp']).toMatch(/cannot read file: permission denied \(EACCES\)/);
    expect(r.imported).toBe(2);
    expect(r.masksImported).toBe(2);
  });

  it('label-index masks: imported as such by auto and index, refused (naming the file) under gray3', async () => {
    const dir = tempDir();
    await makeImageFolder(dir, 1, { formats: ['bmp'] });
    const gray3 = readFileSync(join(dir, '0001.png'));
    const { data } = await (await import('sharp')).default(gray3).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    const index = new Uint8Array(data).map((v) => (v === 255 ? 2 : v === 128 ? 1 : 0));
    await writePng(join(dir, '0001.png'), index, 48, 48, 1);
    let p = newProject();
    let r = await importFolder(p, dir, { maskConvention: 'gray3' });
    expect(r.imported).toBe(1);
    expect(r.masksImported).toBe(0);
    expect(reasons(r)['0001.png']).toMatch(/mask skipped: holds only the values 0\/1\/2, a label-index mask, not gray3/);
    p.close();
    for (const conv of ['auto', 'index'] as const) {
      p = newProject();
      r = await importFolder(p, dir, { maskConvention: conv });
      expect(r.masksImported, conv).toBe(1);
      const m = p.masks.load(p.masks.current(p.images.list()[0].id, 'ground-truth')!.id)!;
      expect(Array.from(m.labels)).toEqual(Array.from(index));
      p.close();
    }
    // Values that fit no convention are refused under auto, naming the mask.
    await writePng(join(dir, '0001.png'), new Uint8Array(48 * 48).map((_, i) => (i * 37) % 256), 48, 48, 1);
    p = newProject();
    r = await importFolder(p, dir, { maskConvention: 'auto' });
    expect(reasons(r)['0001.png']).toMatch(/fit no mask convention/);
    p.close();
  });
});
