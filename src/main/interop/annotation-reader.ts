// What an annotation file reader returns: per image (named by file), shapes that rasterise
// at the image's size. Matching to project images and writing masks is shared
// (import-annotations.ts), so a new readable format is one module plus one line there.
import type { ParsedRegion, RegionClass } from './cell-regions';

export interface ParsedShape {
  /** How the report names it, e.g. 'annotation 17'. */
  item: string;
  cls: RegionClass;
  cellKey: string | null;
  /** Throws with a reason when the shape cannot be drawn (bad coordinates, wrong RLE size). */
  rasterise(width: number, height: number): ParsedRegion;
}

export interface ParsedImageAnnotations {
  item: string;
  /** File name as the annotation file gives it (may include folders); null when unknown. */
  fileName: string | null;
  width: number | null;
  height: number | null;
  shapes: ParsedShape[];
}

export interface AnnotationReader {
  format: 'coco' | 'geojson';
  detect(json: unknown): boolean;
  /** `fileName` is the annotation file's own name (GeoJSON may name its image only that way). */
  read(json: unknown, fileName: string): { images: ParsedImageAnnotations[]; problems: { item: string; reason: string }[] };
}
