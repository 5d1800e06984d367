import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import sharp from 'sharp';
import type { Project } from '../project/project';
import type { MaskConvention, MaskKind } from '../../shared/domain';
import { maskToImage } from '../imaging/mask-convention';
import { importedFiles } from './import-sources';

export interface ExportMasksOptions {
  kind: MaskKind;
  source?: string;
  convention: MaskConvention;
  imageIds?: number[];
  /** Write into a folder that already holds files (never over the files images or masks were imported from). */
  force?: boolean;
}

/** A refusal the caller shows as is (CLI: non-zero exit, no stack trace). */
export class ExportRefusedError extends Error {}

/** Longest file name most filesystems take (ext4, APFS, NTFS: 255 bytes / UTF-16 units). */
export const MAX_NAME_BYTES = 255;

/**
 * `<stem>.png`, shortened when it would be longer than a file name may be: the stem is cut at
 * a character boundary and a hash of the full name keeps shortened names distinct.
 */
export function maskFileName(stem: string, maxBytes = MAX_NAME_BYTES): string {
  const full = `${stem}.png`;
  if (Buffer.byteLength(full, 'utf8') <= maxBytes) return full;
  const suffix = `~${createHash('sha256').update(stem).digest('hex').slice(0, 10)}.png`;
  let cut = '';
  for (const ch of stem) {
    if (Buffer.byteLength(cut + ch, 'utf8') + suffix.length > maxBytes) break;
    cut += ch;
  }
  return cut + suffix;
}

const realOrResolved = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
};

/**
 * Write the current mask of each image as `<image stem>.png`; returns what was written.
 * Refuses (before writing anything) a folder that already holds files unless `force`, and
 * always refuses to write over a file the project's images or masks were imported from.
 */
export async function exportMasks(project: Project, outDir: string, opts: ExportMasksOptions): Promise<{ written: number; missing: number }> {
  if (existsSync(outDir)) {
    if (!statSync(outDir).isDirectory()) throw new ExportRefusedError(`${outDir}: not a folder`);
    const present = readdirSync(outDir).filter((f) => !f.startsWith('.'));
    if (present.length > 0 && !opts.force) {
      throw new ExportRefusedError(`${outDir}: the folder is not empty (${present.length} files, e.g. ${present[0]}); choose an empty folder or pass --force to write into it`);
    }
  }
  // Plan every file first, so that a refusal leaves the folder untouched.
  const plan: { imageName: string; maskId: number; name: string; file: string }[] = [];
  let missing = 0;
  const taken = new Set<string>();
  // A bare model name means its newest version with predictions, once for the whole export.
  const bare = opts.kind === 'prediction' && opts.source !== undefined && !opts.source.includes('@');
  const source = bare && opts.source ? (project.masks.newestVersionSource('prediction', opts.source) ?? opts.source) : opts.source;
  for (const img of project.images.list(opts.imageIds ? { ids: opts.imageIds } : {})) {
    const v = project.masks.current(img.id, opts.kind, source);
    if (!v || (opts.source && opts.kind === 'ground-truth' && v.source !== opts.source)) {
      missing++;
      continue;
    }
    let stem = img.name.slice(0, img.name.length - extname(img.name).length);
    if (taken.has(maskFileName(stem).toLowerCase())) stem = `${stem}-${img.hash.slice(0, 8)}`;
    const name = maskFileName(stem);
    taken.add(name.toLowerCase());
    plan.push({ imageName: img.name, maskId: v.id, name, file: join(outDir, name) });
  }
  const protectedFiles = new Map<string, string>();
  for (const f of importedFiles(project)) protectedFiles.set(f.path, f.role);
  const realDir = realOrResolved(outDir);
  for (const p of plan) {
    const target = existsSync(p.file) ? realOrResolved(p.file) : join(realDir, p.name);
    const role = protectedFiles.get(target);
    if (role) {
      throw new ExportRefusedError(`${p.file}: the ${role} ${role === 'mask' ? `of ${p.imageName} ` : ''}was imported from this file; refusing to write over a data set's own files (choose another folder)`);
    }
  }

  mkdirSync(outDir, { recursive: true });
  let written = 0;
  for (const p of plan) {
    const mask = project.masks.load(p.maskId);
    if (!mask) continue;
    const rgb = maskToImage(mask, opts.convention);
    const png = await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } }).png().toBuffer();
    const tmp = join(outDir, `.${written}.${process.pid}.tmp`);
    try {
      writeFileSync(tmp, png);
      renameSync(tmp, p.file);
    } catch (err) {
      try {
        unlinkSync(tmp);
      } catch {
        // nothing to clean up
      }
      throw new ExportRefusedError(`${p.file}: cannot write the mask of ${p.imageName}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    written++;
  }
  return { written, missing };
}
