import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from '../project/project';
import { hemasegHome } from '../api/app-context';
import { encodeRgbPng } from '../imaging/encode-image';
import { emptyReport, hashBytes, writePrepared, type PreparedImage } from '../transfer/import-folder';
import { generateSmear } from '../synth/smear/generate-smear';
import { SOURCE, type DifficultyClass } from '../../shared/domain';

export const SAMPLE_SEED = 20261121;
const PER_CLASS = 3;

/**
 * Build a project from generated smears covering all eight difficulty classes and both
 * stain palettes, with their ground truth. Used by `npm start` on first run.
 */
export async function buildSampleProject(path: string, opts: { perClass?: number; size?: number } = {}): Promise<Project> {
  const project = Project.open(path, { create: true });
  const items: PreparedImage[] = [];
  const perClass = opts.perClass ?? PER_CLASS;
  for (let cls = 1; cls <= 8; cls++) {
    for (let k = 0; k < perClass; k++) {
      const palette = (cls + k) % 2 === 0 ? 'yellow' : 'purple';
      const seed = SAMPLE_SEED + cls * 100 + k;
      const s = generateSmear({ seed, size: opts.size ?? 128, difficulty: cls as DifficultyClass, palette });
      const bytes = await encodeRgbPng(s.image);
      const name = `sample-c${cls}-${String(k + 1).padStart(2, '0')}-${palette}.png`;
      items.push({ file: name, name, bytes, hash: hashBytes(bytes), format: 'png', image: s.image, mask: s.truth, maskSource: SOURCE.synthetic, difficulty: cls as DifficultyClass });
    }
  }
  await writePrepared(project, items, 'hemaseg', emptyReport());
  return project;
}

/** The sample project in HEMASEG_HOME, created on first use. */
export async function ensureSampleProject(): Promise<{ path: string; created: boolean }> {
  const path = join(hemasegHome(), 'sample.hemaseg');
  if (existsSync(path)) return { path, created: false };
  const tmp = `${path}.building`;
  const p = await buildSampleProject(tmp);
  p.close();
  const { renameSync, rmSync } = await import('node:fs');
  for (const ext of ['-wal', '-shm']) rmSync(`${tmp}${ext}`, { force: true });
  renameSync(tmp, path);
  return { path, created: true };
}
