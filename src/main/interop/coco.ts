// COCO instance segmentation (the format of the COCO data set and of most detection
// tools): images with file names and sizes, categories cell, cytoplasm and nucleus (and edge
// when the masks mark HemaSeg's 1-px cell outline), one annotation per cell and class. A
// region without holes is written as polygons along pixel edges (vertices on pixel corners,
// exact under the pixel-centre rule); a region with holes, which COCO polygons cannot hold, as
// compressed RLE. `cell` on an annotation links the classes of one cell.
import { writeFileSync } from 'node:fs';
import { appVersion } from '../app-version';
import type { ExportContext, ExportItem, InteropExporter } from './format';
import { cellRegions, regionClassOf, type ParsedRegion, type RegionClass } from './cell-regions';
import { maskBox } from './mask-geometry';
import { decodeRle, encodeRle, type CocoRle } from './rle';
import { fillRings, tracePolygons, type Ring } from './trace';
import type { AnnotationReader, ParsedImageAnnotations } from './annotation-reader';

export const COCO_CATEGORIES: { id: number; name: RegionClass; supercategory: string }[] = [
  { id: 1, name: 'cell', supercategory: 'wbc' },
  { id: 2, name: 'cytoplasm', supercategory: 'cell' },
  { id: 3, name: 'nucleus', supercategory: 'cell' },
  { id: 4, name: 'edge', supercategory: 'cell' },
];

interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  segmentation: number[][] | CocoRle;
  area: number;
  bbox: [number, number, number, number];
  iscrowd: 0 | 1;
  cell?: number;
}

interface CocoImage {
  id: number;
  file_name: string;
  width: number;
  height: number;
}

export interface CocoFile {
  info?: Record<string, unknown>;
  images: CocoImage[];
  annotations: CocoAnnotation[];
  categories: { id: number; name: string; supercategory?: string }[];
}

/** COCO segmentation of one region: polygons when it has no holes, else compressed RLE. */
export function cocoSegmentation(mask: Uint8Array, w: number, h: number): number[][] | CocoRle {
  const polygons = tracePolygons(mask, w, h);
  if (polygons.some((p) => p.holes.length > 0)) return encodeRle(mask, w, h, true);
  return polygons.map((p) => p.exterior.flatMap(([x, y]) => [x, y]));
}

export function buildCoco(items: Iterable<ExportItem>, ctx: ExportContext): { coco: CocoFile; cells: number } {
  const images: CocoImage[] = [];
  const annotations: CocoAnnotation[] = [];
  let hasEdges = false;
  let cells = 0;
  for (const { image, mask } of items) {
    const fileName = image.name;
    images.push({ id: image.id, file_name: fileName, width: mask.width, height: mask.height });
    for (const r of cellRegions(mask)) {
      const cat = COCO_CATEGORIES.find((c) => c.name === r.cls)!;
      if (r.cls === 'edge') hasEdges = true;
      if (r.cls === 'cell') cells++;
      annotations.push({
        id: annotations.length + 1, image_id: image.id, category_id: cat.id,
        segmentation: cocoSegmentation(r.mask, mask.width, mask.height),
        area: r.area, bbox: maskBox(r.mask, mask.width, mask.height)!, iscrowd: 0, cell: r.instance,
      });
    }
  }
  const coco: CocoFile = {
    info: {
      description: `HemaSeg export of ${ctx.projectName} (${ctx.source})`,
      version: appVersion(),
      date_created: new Date().toISOString(),
      contributor: 'HemaSeg',
      // Coordinates: pixel (x, y) covers [x, x+1] x [y, y+1]; polygon vertices lie on pixel corners.
      pixel_convention: 'pixel-edges',
    },
    images,
    annotations,
    categories: COCO_CATEGORIES.filter((c) => c.name !== 'edge' || hasEdges),
  };
  return { coco, cells };
}

export const cocoFormat: InteropExporter = {
  info: {
    id: 'coco', label: 'COCO (JSON)', writes: 'file', extension: '.json',
    description: 'COCO instance segmentation: categories cell, cytoplasm, nucleus; polygons, RLE where a region has holes',
  },
  async write(items, target, ctx) {
    const { coco, cells } = buildCoco(items, ctx);
    writeFileSync(target, JSON.stringify(coco));
    return { files: [target], cells };
  },
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Rasterise one COCO segmentation (polygon list or RLE) at w x h. */
export function cocoSegmentationMask(seg: unknown, w: number, h: number): Uint8Array {
  if (Array.isArray(seg)) {
    const mask = new Uint8Array(w * h);
    if (seg.length === 0) throw new Error('empty polygon list');
    for (const poly of seg) {
      if (!Array.isArray(poly) || poly.length < 6 || poly.length % 2 || !poly.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        throw new Error('a polygon must be a flat list of at least 3 x, y pairs');
      }
      const ring: Ring = [];
      for (let k = 0; k < poly.length; k += 2) ring.push([poly[k] as number, poly[k + 1] as number]);
      // COCO unites the polygons of an annotation.
      fillRings([ring], mask, w, h, 1);
    }
    return mask;
  }
  if (isObject(seg) && Array.isArray(seg.size) && (typeof seg.counts === 'string' || Array.isArray(seg.counts))) {
    const d = decodeRle({ size: seg.size as [number, number], counts: seg.counts as number[] | string });
    if (d.width !== w || d.height !== h) throw new Error(`RLE is ${d.width}x${d.height}, the image ${w}x${h}`);
    return d.mask;
  }
  throw new Error('segmentation is neither a polygon list nor an RLE object');
}

export const cocoReader: AnnotationReader = {
  format: 'coco',
  detect: (json) => isObject(json) && Array.isArray(json.images) && Array.isArray(json.annotations),
  read(json) {
    const file = json as Partial<CocoFile>;
    const problems: { item: string; reason: string }[] = [];
    const cats = new Map<number, RegionClass | null>();
    for (const c of Array.isArray(file.categories) ? file.categories : []) {
      if (isObject(c) && typeof c.id === 'number') cats.set(c.id, typeof c.name === 'string' ? regionClassOf(c.name) : null);
    }
    const byId = new Map<number, ParsedImageAnnotations>();
    for (const [k, img] of (file.images ?? []).entries()) {
      if (!isObject(img) || typeof img.id !== 'number' || typeof img.file_name !== 'string') {
        problems.push({ item: `images[${k}]`, reason: 'needs a numeric id and a file_name' });
        continue;
      }
      const width = typeof img.width === 'number' ? img.width : null;
      const height = typeof img.height === 'number' ? img.height : null;
      byId.set(img.id, { item: `image ${img.id} (${img.file_name})`, fileName: img.file_name, width, height, shapes: [] });
    }
    for (const [k, a] of (file.annotations ?? []).entries()) {
      const item = `annotation ${isObject(a) && typeof a.id === 'number' ? a.id : `#${k}`}`;
      if (!isObject(a) || typeof a.image_id !== 'number' || typeof a.category_id !== 'number') {
        problems.push({ item, reason: 'needs numeric image_id and category_id' });
        continue;
      }
      const target = byId.get(a.image_id);
      if (!target) {
        problems.push({ item, reason: `image_id ${a.image_id} is not among the file's images` });
        continue;
      }
      const cls = cats.get(a.category_id);
      if (!cls) {
        problems.push({ item, reason: `category ${a.category_id} is not cell, cytoplasm, nucleus or edge` });
        continue;
      }
      const seg = a.segmentation;
      const cellKey = typeof a.cell === 'number' || typeof a.cell === 'string' ? String(a.cell) : null;
      target.shapes.push({
        item, cls, cellKey,
        rasterise: (w, h): ParsedRegion => ({ cls, cellKey, mask: cocoSegmentationMask(seg, w, h) }),
      });
    }
    return { images: [...byId.values()], problems };
  },
};
