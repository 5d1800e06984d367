import { describe, expect, it } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { Project } from '../../project/project';
import { importFolder } from '../../transfer/import-folder';
import { makeCell, tempDir, writePng } from '../../testing/fixtures';
import { runSegmentation } from '../inference/segment-service';
import { defaultModelDir, readDefaultModel } from './default-model';
import { ModelsRepo } from './models-repo';

describe('the shipped default model', () => {
  it('is a multiclass-edge U-Net under 5 MB with its metadata', () => {
    const dir = defaultModelDir();
    const bytes = readdirSync(dir).reduce((s, f) => s + statSync(join(dir, f)).size, 0);
    expect(bytes).toBeLessThanOrEqual(5 * 1024 * 1024);
    const f = readDefaultModel();
    expect(f.task).toBe('multiclass-edge');
    expect(f.metadata?.name).toBe('default');
    expect(f.metadata?.lineage?.curves.length).toBeGreaterThan(0);
  });

  it('segments a folder of mixed sizes directly (as the shipped version), and joins a project registry once as default@1', async () => {
    const dir = tempDir();
    const sizes: [number, number][] = [
      [64, 40],
      [128, 128],
      [150, 90],
    ];
    for (const [i, [w, h]] of sizes.entries()) await writePng(join(dir, `m${i}.png`), makeCell(70 + i, w, h).rgb, w, h, 3);
    const out = join(tempDir(), 'out');
    const r = await runSegmentation(null, { model: 'default', threshold: 0.5, target: { kind: 'folder', folder: dir, out, convention: 'rgb' } }, { author: 't' });
    expect(r.segmented).toBe(3);
    // A plain folder has no registry: the shipped folder's own version names the source.
    expect(r.modelRef).toBe(`default@${readDefaultModel().metadata?.version ?? 1}`);
    for (const [i, [w, h]] of sizes.entries()) {
      const m = await sharp(join(out, `m${i}.png`)).metadata();
      expect([m.width, m.height]).toEqual([w, h]);
    }

    const p = Project.open(join(tempDir(), 'd.hemaseg'), { create: true });
    try {
      await importFolder(p, dir, { maskConvention: 'none' });
      for (let k = 0; k < 2; k++) {
        const rp = await runSegmentation(p, { model: 'default', threshold: 0.5, target: { kind: 'project', images: 'unlabeled' } }, { author: 't' });
        expect(rp.segmented).toBe(3);
        expect(rp.modelRef).toBe('default@1');
      }
      expect(new ModelsRepo(p.db).list().map((m) => m.ref)).toEqual(['default@1']);
    } finally {
      p.close();
    }
  });
});
