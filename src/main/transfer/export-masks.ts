import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import sharp from 'sharp';
import type { Project } from '../project/project';
import type { MaskConvention, MaskKind } from '../../shared/domain';
import { maskToImage } from '../imaging/mask-convention';

export interface ExportMasksOptions {
  kind: MaskKind;
  source?: string;
  convention: MaskConvention;
  imageIds?: number[];
}

/** Write the current mask of each image as `<image stem>.png`; returns what was written. */
export async function exportMasks(project: Project, outDir: string, opts: ExportMasksOptions): Promise<{ written: number; missing: number }> {
  mkdirSync(outDir, { recursive: true });
  let written = 0;
  let missing = 0;
  const taken = new Set<string>();
  for (const img of project.images.list(opts.imageIds ? { ids: opts.imageIds } : {})) {
    const v = project.masks.current(img.id, opts.kind, opts.source);
    if (!v || (opts.source && opts.kind === 'ground-truth' && v.source !== opts.source)) {
      missing++;
      continue;
    }
    const mask = project.masks.load(v.id);
    if (!mask) continue;
    const rgb = maskToImage(mask, opts.convention);
    let stem = img.name.slice(0, img.name.length - extname(img.name).length);
    if (taken.has(stem)) stem = `${stem}-${img.hash.slice(0, 8)}`;
    taken.add(stem);
    const png = await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } }).png().toBuffer();
    const file = join(outDir, `${stem}.png`);
    writeFileSync(`${file}.tmp`, png);
    renameSync(`${file}.tmp`, file);
    written++;
  }
  return { written, missing };
}
