import { readFile } from 'node:fs/promises';
import type { AppContext } from './app-context';
import { loadImagePixels } from '../imaging/image-cache';
import { encodeRgbPng } from '../imaging/encode-image';
import { renderMaskPng } from '../imaging/mask-render';
import { OVERLAY_PALETTES, type OverlayPalette } from '../../shared/domain';
import { maskToImage } from '../imaging/mask-convention';
import { differenceImage } from '../metrics/difference-image';

export interface MediaResponse {
  status: number;
  contentType: string;
  body: Uint8Array;
}

const notFound = (what: string): MediaResponse => ({ status: 404, contentType: 'text/plain', body: new TextEncoder().encode(`${what} not found`) });

const REPORT_TYPES: Record<string, string> = { pdf: 'application/pdf', html: 'text/html; charset=utf-8', csv: 'text/csv; charset=utf-8' };

/**
 * `report/<jobId>`: the file a finished report job of this session wrote, so the browser UI
 * can open it. Only files named by a report job's result are served, never a path from the URL.
 */
async function serveReportFile(ctx: AppContext, jobId: string): Promise<MediaResponse> {
  const job = ctx.jobs.list().find((j) => j.id === jobId && j.kind === 'report' && j.status === 'done');
  const file = job && typeof job.result === 'object' && job.result !== null ? (job.result as { path?: unknown }).path : undefined;
  if (typeof file !== 'string') return notFound(`report ${jobId}`);
  const type = REPORT_TYPES[file.split('.').pop()?.toLowerCase() ?? ''];
  if (!type) return notFound(`report ${jobId}`);
  try {
    return { status: 200, contentType: type, body: new Uint8Array(await readFile(file)) };
  } catch {
    return notFound(`report file ${file}`);
  }
}

/** `report/<jobId>`, `thumb/<id>`, `image/<id>`, `mask/<versionId>?style=overlay|outline|gray3`, `maskof/<imageId>?kind=&source=&style=`, `diff/<predVersionId>?truth=<versionId>&style=classes|binary|multiclass`. */
export async function serveMedia(ctx: AppContext, path: string): Promise<MediaResponse> {
  const project = ctx.current;
  if (!project) return notFound('project');
  const url = new URL(path.replace(/^\/+/, ''), 'http://x/');
  const [kind, idText] = url.pathname.replace(/^\/+/, '').split('/');
  if (kind === 'report') return serveReportFile(ctx, decodeURIComponent(idText ?? ''));
  const id = Number(idText);
  if (!Number.isInteger(id)) return notFound(path);
  if (kind === 'thumb') {
    const t = project.images.thumbnail(id);
    return t ? { status: 200, contentType: 'image/jpeg', body: t } : notFound(`thumbnail ${id}`);
  }
  if (kind === 'image') {
    try {
      return { status: 200, contentType: 'image/png', body: await encodeRgbPng(await loadImagePixels(project, id)) };
    } catch {
      return notFound(`image ${id}`);
    }
  }
  if (kind === 'mask' || kind === 'maskof') {
    let versionId = id;
    if (kind === 'maskof') {
      // The current mask of an image by kind (and source), so gallery tiles need no lookup call.
      const k = url.searchParams.get('kind') ?? 'ground-truth';
      if (k !== 'ground-truth' && k !== 'prediction' && k !== 'baseline') return notFound(`mask kind ${k}`);
      const v = project.masks.current(id, k, url.searchParams.get('source') ?? undefined);
      if (!v) return notFound(`${k} mask of image ${id}`);
      versionId = v.id;
    }
    const mask = project.masks.load(versionId);
    if (!mask) return notFound(`mask version ${versionId}`);
    const style = url.searchParams.get('style') ?? 'overlay';
    if (style === 'gray3') return { status: 200, contentType: 'image/png', body: await encodeRgbPng(maskToImage(mask, 'gray3')) };
    // The palette is part of the address (tiles are cached); absent, the project's setting.
    const asked = url.searchParams.get('palette');
    const palette = (OVERLAY_PALETTES as readonly string[]).includes(asked ?? '') ? (asked as OverlayPalette) : project.settings.get().overlayPalette;
    return { status: 200, contentType: 'image/png', body: await renderMaskPng(mask, style === 'outline' ? 'outline' : 'overlay', palette) };
  }
  if (kind === 'diff') {
    // Difference of a prediction (or any mask version) against a truth version, for Compare.
    const truthId = Number(url.searchParams.get('truth'));
    const style = url.searchParams.get('style') ?? 'classes';
    if (style !== 'classes' && style !== 'binary' && style !== 'multiclass') return notFound(`difference style ${style}`);
    const pred = project.masks.load(id);
    const truth = Number.isInteger(truthId) ? project.masks.load(truthId) : null;
    if (!pred || !truth) return notFound(`mask version ${!pred ? id : url.searchParams.get('truth')}`);
    if (pred.width !== truth.width || pred.height !== truth.height) return notFound(`difference of masks of different sizes`);
    return { status: 200, contentType: 'image/png', body: await encodeRgbPng(differenceImage(truth, pred, style)) };
  }
  return notFound(path);
}
