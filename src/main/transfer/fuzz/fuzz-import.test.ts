import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Project } from '../../project/project';
import { loadImagePixels } from '../../imaging/image-cache';
import { tempDir } from '../../testing/fixtures';
import { importFolder } from '../import-folder';
import { writeFuzzFolder } from './mutate';

describe('import fuzz', () => {
  it('mutated files of every format: each bad file is reported, good files import, the project stays intact', async () => {
    const dir = tempDir();
    const files = await writeFuzzFolder(dir, 240, 7);
    const p = Project.open(join(tempDir(), 'fuzz.hemaseg'), { create: true });
    const r = await importFolder(p, dir, { maskConvention: 'auto' });
    const skipped = new Map(r.skipped.map((s) => [s.file, s.reason]));
    const imported = new Set(p.images.list().map((i) => i.name));
    for (const f of files) {
      const where = `${f.kind} ${f.name}`;
      if (f.expect === 'import') expect(imported.has(f.name), `${where}: ${skipped.get(f.name)}`).toBe(true);
      if (f.expect === 'skip') {
        expect(imported.has(f.name), where).toBe(false);
        expect(skipped.get(f.name), where).toMatch(/\S/);
      }
      // Every file is accounted for: imported, or skipped with a reason.
      expect(imported.has(f.name) !== skipped.has(f.name), where).toBe(true);
    }
    for (const f of files.filter((x) => x.kind === 'bomb')) expect(skipped.get(f.name), f.name).toMatch(/declares \d+x\d+ .* decoding limit/);
    // Broken masks beside good images are reported by the mask's name.
    const badMasks = r.skipped.filter((s) => s.file.endsWith('_mask.png'));
    expect(badMasks.length).toBeGreaterThan(0);
    for (const s of badMasks) expect(s.reason).toMatch(/^mask skipped: /);
    expect(files.filter((f) => f.kind === 'good').length).toBeGreaterThan(20);
    expect(new Set(files.map((f) => f.kind)).size).toBe(8);

    expect(p.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(p.db.pragma('foreign_key_check')).toEqual([]);
    expect(p.images.count()).toBe(r.imported);
    // Intact: every stored image decodes to its recorded size.
    for (const img of p.images.list()) {
      const px = await loadImagePixels(p, img.id);
      expect([px.width, px.height], img.name).toEqual([img.width, img.height]);
    }
    p.close();
  });
});
