// `hemaseg export` and interop.export: pick the images and their masks of one source, hand
// them to the format's writer, and move the result into place only when it is complete
// (a temporary sibling, renamed), so a failed or cancelled export leaves nothing half-written.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { InteropExportReport, InteropExportRequest } from '../../shared/api';
import type { ImageSummary } from '../../shared/domain';
import { SPLITS } from '../../shared/domain';
import type { Project } from '../project/project';
import { parseMaskSource, resolveMaskSource } from '../evaluation/mask-source';
import { exporterFor } from './registry';
import type { ExportItem } from './format';

export interface ExportProgress {
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
}

export class ExportError extends Error {}

/** The images an export covers, in the project's usual order. */
export function exportImages(project: Project, req: Pick<InteropExportRequest, 'images' | 'ids'>): ImageSummary[] {
  if (req.ids?.length) return project.images.list({ ids: req.ids });
  const sel = req.images ?? 'all';
  if (sel === 'all') return project.images.list();
  if (sel === 'reviewed') return project.images.list({ review: ['reviewed'] });
  if ((SPLITS as readonly string[]).includes(sel)) return project.images.list({ split: [sel] });
  throw new ExportError(`images must be all, train, val, test or reviewed, got '${String(sel)}'`);
}

/** Refuse an output that exists unless forced, before any work (the API checks this before starting a job). */
export function checkExportTarget(req: InteropExportRequest): string {
  const exporter = exporterFor(req.format);
  if (!req.out || !req.out.trim()) throw new ExportError('no output path given');
  const out = resolve(req.out);
  if (existsSync(out)) {
    const isDir = statSync(out).isDirectory();
    if (exporter.info.writes === 'file' && isDir) throw new ExportError(`${out}: is a folder; ${exporter.info.label} writes one file (e.g. ${join(out, `annotations${exporter.info.extension}`)})`);
    if (!req.force && (!isDir || readdirSync(out).length > 0)) throw new ExportError(`${out}: already exists (use --force to overwrite)`);
  }
  if (!existsSync(dirname(out))) throw new ExportError(`${dirname(out)}: no such folder`);
  parseMaskSource(req.source ?? 'ground-truth');
  return out;
}

export async function exportInterop(project: Project, req: InteropExportRequest, opts: ExportProgress = {}): Promise<InteropExportReport> {
  const exporter = exporterFor(req.format);
  const out = checkExportTarget(req);
  const sourceText = req.source ?? 'ground-truth';
  // A bare model name means one version for the whole export (resolved once, not per image).
  const src = resolveMaskSource(project, sourceText);
  const images = exportImages(project, req);
  const chosen: { image: ImageSummary; versionId: number }[] = [];
  let missing = 0;
  for (const image of images) {
    const v = project.masks.current(image.id, src.kind, src.source);
    if (v) chosen.push({ image, versionId: v.id });
    else missing++;
  }
  if (chosen.length === 0) throw new ExportError(`none of the ${images.length} selected images has a ${src.label} mask`);

  const taken = new Set<string>();
  const stems = new Map<number, string>();
  for (const { image } of chosen) {
    let stem = basename(image.name, extname(image.name));
    if (taken.has(stem)) stem = `${stem}-${image.hash.slice(0, 8)}`;
    taken.add(stem);
    stems.set(image.id, stem);
  }
  const settings = project.settings.get();
  let done = 0;
  function* items(): Generator<ExportItem> {
    for (const c of chosen) {
      if (opts.signal?.aborted) throw new ExportError('export cancelled');
      const mask = project.masks.load(c.versionId);
      if (!mask) throw new ExportError(`mask version ${c.versionId} of ${c.image.name} is missing from the project`);
      yield { image: c.image, mask, versionId: c.versionId };
      opts.onProgress?.(++done, chosen.length);
    }
  }

  const tmp = join(dirname(out), `.${basename(out)}.tmp-${process.pid}-${Date.now()}`);
  if (exporter.info.writes === 'folder') mkdirSync(tmp);
  try {
    const r = await exporter.write(items(), tmp, {
      source: src.label, projectName: project.name, pixelsPerMicrometre: settings.pixelsPerMicrometre, stemOf: (img) => stems.get(img.id) ?? String(img.id),
    });
    if (existsSync(out)) rmSync(out, { recursive: true, force: true });
    renameSync(tmp, out);
    return {
      format: exporter.info.id, out, files: exporter.info.writes === 'file' ? [out] : r.files.map((f) => join(out, f)),
      images: chosen.length, missing, cells: r.cells,
    };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}
