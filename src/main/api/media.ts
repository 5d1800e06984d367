import type { AppContext } from './app-context';
import { loadImagePixels } from '../imaging/image-cache';
import { encodeRgbPng } from '../imaging/encode-image';
import { renderMaskPng } from '../imaging/mask-render';
import { maskToImage } from '../imaging/mask-convention';

export interface MediaResponse {
  status: number;
  contentType: string;
  body: Uint8Array;
}

const notFound = (what: string): MediaResponse => ({ status: 404, contentType: 'text/plain', body: new TextEncoder().encode(`${what} not found`) });

/** `thumb/<id>`, `image/<id>`, `mask/<versionId>?style=overlay|outline|gray3`, `maskof/<imageId>?kind=&source=&style=`. */
export async function serveMedia(ctx: AppContext, path: string): Promise<MediaResponse> {
  const project = ctx.current;
  if (!project) return notFound('project');
  const url = new URL(path.replace(/^\/+/, ''), 'http://x/');
  const [kind, idText] = url.pathname.replace(/^\/+/, '').split('/');
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
    return { status: 200, contentType: 'image/png', body: await renderMaskPng(mask, style === 'outline' ? 'outline' : 'overlay') };
  }
  return notFound(path);
}
