// GeoJSON as QuPath reads it (File > Import objects): one FeatureCollection per image, each
// feature an annotation (properties.objectType 'annotation') with a classification {name,
// color}, measurements, and a Polygon or MultiPolygon geometry in pixel coordinates
// (pixel (x, y) covers [x, x+1] x [y, y+1]). Rings are closed and exteriors counter-clockwise,
// holes clockwise (RFC 7946). Cytoplasm and nucleus carry their cell's edge pixels, as in
// every convention without an edge class. The image's file name is in
// properties.metadata.image of each feature and in the file's name.
import { writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { ExportContext, ExportItem, InteropExporter } from './format';
import { cellRegions, regionClassOf, type RegionClass } from './cell-regions';
import { fillRings, tracePolygons, type Polygon, type Ring } from './trace';
import type { AnnotationReader, ParsedImageAnnotations } from './annotation-reader';

type Position = [number, number];
export type GeoJsonGeometry = { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };

export interface GeoJsonFeature {
  type: 'Feature';
  id: string;
  geometry: GeoJsonGeometry;
  properties: {
    objectType: 'annotation';
    name: string;
    classification: { name: string; color: [number, number, number] };
    isLocked: boolean;
    measurements: Record<string, number>;
    metadata: Record<string, string>;
  };
}

export interface GeoJsonCollection {
  type: 'FeatureCollection';
  features: GeoJsonFeature[];
}

export const GEOJSON_CLASSES: Record<Exclude<RegionClass, 'edge'>, { name: string; color: [number, number, number] }> = {
  cell: { name: 'Cell', color: [0, 114, 178] },
  cytoplasm: { name: 'Cytoplasm', color: [0, 158, 115] },
  nucleus: { name: 'Nucleus', color: [204, 121, 167] },
};

const closed = (r: Ring): Position[] => [...r.map(([x, y]): Position => [x, y]), [r[0][0], r[0][1]]];

export function geometryOf(polygons: Polygon[]): GeoJsonGeometry {
  const rings = polygons.map((p) => [closed(p.exterior), ...p.holes.map(closed)]);
  return rings.length === 1 ? { type: 'Polygon', coordinates: rings[0] } : { type: 'MultiPolygon', coordinates: rings };
}

export function imageFeatures(item: ExportItem, ctx: ExportContext): { collection: GeoJsonCollection; cells: number } {
  const { image, mask } = item;
  const features: GeoJsonFeature[] = [];
  let cells = 0;
  const um2 = ctx.pixelsPerMicrometre > 0 ? 1 / (ctx.pixelsPerMicrometre * ctx.pixelsPerMicrometre) : 0;
  const stem = ctx.stemOf(image);
  for (const r of cellRegions(mask)) {
    if (r.cls === 'edge') continue;
    if (r.cls === 'cell') cells++;
    const cls = GEOJSON_CLASSES[r.cls];
    const measurements: Record<string, number> = { 'Area px^2': r.area, 'Cell': r.instance };
    if (um2) measurements['Area µm^2'] = Math.round(r.area * um2 * 1000) / 1000;
    features.push({
      type: 'Feature',
      id: `${stem}-cell${r.instance}-${r.cls}`,
      geometry: geometryOf(tracePolygons(r.mask, mask.width, mask.height)),
      properties: {
        objectType: 'annotation', name: `Cell ${r.instance} ${r.cls}`, classification: { ...cls }, isLocked: false,
        measurements, metadata: { image: image.name, cell: String(r.instance), source: ctx.source },
      },
    });
  }
  return { collection: { type: 'FeatureCollection', features }, cells };
}

export const geojsonFormat: InteropExporter = {
  info: {
    id: 'geojson', label: 'GeoJSON (QuPath)', writes: 'folder', extension: '.geojson',
    description: 'one GeoJSON FeatureCollection per image, annotations Cell, Cytoplasm, Nucleus with areas, as QuPath imports them',
  },
  async write(items, target, ctx) {
    const files: string[] = [];
    let cells = 0;
    for (const item of items) {
      const { collection, cells: n } = imageFeatures(item, ctx);
      const file = `${ctx.stemOf(item.image)}.geojson`;
      writeFileSync(join(target, file), JSON.stringify(collection));
      files.push(file);
      cells += n;
    }
    return { files, cells };
  },
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function ringOf(coords: unknown): Ring {
  if (!Array.isArray(coords) || coords.length < 3) throw new Error('a ring needs at least 3 positions');
  const ring: Ring = coords.map((p) => {
    if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number' || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      throw new Error('a position must be [x, y] numbers');
    }
    return [p[0], p[1]];
  });
  const [a, b] = [ring[0], ring[ring.length - 1]];
  if (a[0] === b[0] && a[1] === b[1]) ring.pop();
  return ring;
}

/** Rasterise a GeoJSON Polygon or MultiPolygon at w x h (pixel-centre rule, holes cut out). */
export function geometryMask(geometry: unknown, w: number, h: number): Uint8Array {
  if (!isObject(geometry)) throw new Error('feature has no geometry');
  const mask = new Uint8Array(w * h);
  const polygons: unknown[] =
    geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' && Array.isArray(geometry.coordinates) ? geometry.coordinates : [];
  if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') throw new Error(`geometry type ${String(geometry.type)} is not Polygon or MultiPolygon`);
  for (const poly of polygons) {
    if (!Array.isArray(poly) || poly.length === 0) throw new Error('a polygon needs at least an exterior ring');
    const tmp = new Uint8Array(w * h);
    fillRings(poly.map(ringOf), tmp, w, h, 1);
    for (let i = 0; i < tmp.length; i++) if (tmp[i]) mask[i] = 1;
  }
  return mask;
}

function featuresOf(json: unknown): unknown[] | null {
  if (Array.isArray(json)) return json;
  if (isObject(json) && json.type === 'FeatureCollection' && Array.isArray(json.features)) return json.features;
  if (isObject(json) && json.type === 'Feature') return [json];
  return null;
}

export const geojsonReader: AnnotationReader = {
  format: 'geojson',
  detect: (json) => {
    const f = featuresOf(json);
    return f !== null && (f.length === 0 || (isObject(f[0]) && f[0].type === 'Feature'));
  },
  read(json, fileName) {
    const problems: { item: string; reason: string }[] = [];
    const byImage = new Map<string, ParsedImageAnnotations>();
    // Without a name in the features, the file is named for its image (001.geojson -> 001.*).
    const fallback = basename(fileName, extname(fileName));
    for (const [k, f] of (featuresOf(json) ?? []).entries()) {
      const item = `feature ${isObject(f) && (typeof f.id === 'string' || typeof f.id === 'number') ? f.id : `#${k}`}`;
      if (!isObject(f) || f.type !== 'Feature') {
        problems.push({ item, reason: 'not a GeoJSON Feature' });
        continue;
      }
      const props = isObject(f.properties) ? f.properties : {};
      const meta = isObject(props.metadata) ? props.metadata : {};
      const image = typeof meta.image === 'string' ? meta.image : typeof props.image === 'string' ? props.image : fallback;
      const cls0 = isObject(props.classification) ? props.classification.name : props.classification;
      const cellKey = typeof meta.cell === 'string' ? meta.cell : isObject(props.measurements) && typeof props.measurements.Cell === 'number' ? String(props.measurements.Cell) : null;
      const entry = byImage.get(image) ?? { item: `image ${image}`, fileName: image, width: null, height: null, shapes: [] };
      byImage.set(image, entry);
      // A QuPath cell object: the cell outline plus its nucleus.
      if (props.objectType === 'cell' && isObject(f.nucleusGeometry)) {
        const key = cellKey ?? `${item}`;
        const nucleus = f.nucleusGeometry;
        entry.shapes.push({ item, cls: 'cell', cellKey: key, rasterise: (w, h) => ({ cls: 'cell', cellKey: key, mask: geometryMask(f.geometry, w, h) }) });
        entry.shapes.push({ item: `${item} nucleus`, cls: 'nucleus', cellKey: key, rasterise: (w, h) => ({ cls: 'nucleus', cellKey: key, mask: geometryMask(nucleus, w, h) }) });
        continue;
      }
      const cls = typeof cls0 === 'string' ? regionClassOf(cls0) : props.objectType === 'cell' ? 'cell' : null;
      if (!cls) {
        problems.push({ item, reason: `classification ${typeof cls0 === 'string' ? `'${cls0}'` : '(none)'} is not Cell, Cytoplasm, Nucleus or Edge` });
        continue;
      }
      const geometry = f.geometry;
      entry.shapes.push({ item, cls, cellKey, rasterise: (w, h) => ({ cls, cellKey, mask: geometryMask(geometry, w, h) }) });
    }
    return { images: [...byImage.values()], problems };
  },
};
