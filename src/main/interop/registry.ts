// The export formats and the annotation readers. A new format is a module beside this one
// plus one line in a list below.
import type { InteropFormat } from '../../shared/api';
import type { InteropExporter } from './format';
import type { AnnotationReader } from './annotation-reader';
import { cocoFormat, cocoReader } from './coco';
import { geojsonFormat, geojsonReader } from './geojson';
import { gray3Format, labelPngFormat, labelTiffFormat, rgbFormat } from './label-images';

export const EXPORT_FORMATS: readonly InteropExporter[] = [
  cocoFormat,
  geojsonFormat,
  labelTiffFormat,
  labelPngFormat,
  gray3Format,
  rgbFormat,
];

export const ANNOTATION_READERS: readonly AnnotationReader[] = [
  cocoReader,
  geojsonReader,
];

export function exporterFor(id: string): InteropExporter {
  const f = EXPORT_FORMATS.find((e) => e.info.id === id);
  if (!f) throw new Error(`unknown export format '${id}' (expected ${EXPORT_FORMATS.map((e) => e.info.id).join(', ')})`);
  return f;
}

export const isInteropFormat = (id: string): id is InteropFormat => EXPORT_FORMATS.some((e) => e.info.id === id);
