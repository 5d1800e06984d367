// `hemaseg import-annotations` and interop.importAnnotations: COCO or GeoJSON annotations
// become ground-truth versions (appended, with the file as provenance), matched to project
// images by file name (exact, else by stem when that is unambiguous). Every entry that cannot
// be used is reported with its reason; an image with any unusable shape is left unchanged
// rather than given a partial mask.
import { readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import type { AnnotationImportReport } from '../../shared/api';
import { SOURCE, type ImageSummary } from '../../shared/domain';
import type { Project } from '../project/project';
import { userName } from '../api/user-name';
import { ANNOTATION_READERS } from './registry';
import { assembleLabelMap, type ParsedRegion } from './cell-regions';

export class AnnotationFileError extends Error {}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AnnotationFileError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new AnnotationFileError(`${file}: not valid JSON (${(err as Error).message})`);
  }
}

const stemOf = (name: string): string => basename(name, extname(name));

/** Project image for a file name from an annotation file, or why there is none. */
function matcher(images: ImageSummary[]): (fileName: string) => ImageSummary | string {
  const byName = new Map<string, ImageSummary[]>();
  const byStem = new Map<string, ImageSummary[]>();
  for (const img of images) {
    byName.set(img.name, [...(byName.get(img.name) ?? []), img]);
    byStem.set(stemOf(img.name), [...(byStem.get(stemOf(img.name)) ?? []), img]);
  }
  return (fileName) => {
    const name = basename(fileName.replace(/\\/g, '/'));
    const exact = byName.get(name) ?? [];
    if (exact.length === 1) return exact[0];
    if (exact.length > 1) return `${exact.length} project images are named ${name}`;
    const loose = byStem.get(stemOf(name)) ?? [];
    if (loose.length === 1) return loose[0];
    if (loose.length > 1) return `${loose.length} project images share the stem ${stemOf(name)} (${loose.map((i) => i.name).join(', ')})`;
    return `no project image is named ${name}`;
  };
}

export function importAnnotationFile(project: Project, path: string): AnnotationImportReport {
  const file = resolve(path);
  const json = readJson(file);
  const reader = ANNOTATION_READERS.find((r) => r.detect(json));
  if (!reader) throw new AnnotationFileError(`${file}: neither COCO (images, annotations) nor GeoJSON (FeatureCollection or features)`);
  const parsed = reader.read(json, file);
  const report: AnnotationImportReport = { file, format: reader.format, imported: 0, problems: [...parsed.problems], imageIds: [] };
  const match = matcher(project.images.list());
  const writes: { image: ImageSummary; regions: ParsedRegion[]; shapes: number }[] = [];
  const seen = new Set<number>();
  for (const entry of parsed.images) {
    if (!entry.fileName) {
      report.problems.push({ item: entry.item, reason: 'names no image file' });
      continue;
    }
    const image = match(entry.fileName);
    if (typeof image === 'string') {
      report.problems.push({ item: entry.item, reason: image });
      continue;
    }
    if (seen.has(image.id)) {
      report.problems.push({ item: entry.item, reason: `${image.name} is annotated twice in this file; the first entry is used` });
      continue;
    }
    seen.add(image.id);
    if ((entry.width !== null && entry.width !== image.width) || (entry.height !== null && entry.height !== image.height)) {
      report.problems.push({ item: entry.item, reason: `annotated as ${entry.width}x${entry.height}, but ${image.name} is ${image.width}x${image.height}` });
      continue;
    }
    const regions: ParsedRegion[] = [];
    let bad = 0;
    for (const shape of entry.shapes) {
      try {
        regions.push(shape.rasterise(image.width, image.height));
      } catch (err) {
        bad++;
        report.problems.push({ item: `${shape.item} of ${image.name}`, reason: (err as Error).message });
      }
    }
    if (bad) {
      report.problems.push({ item: entry.item, reason: `${image.name} left unchanged: ${bad} of its ${entry.shapes.length} shapes could not be read` });
      continue;
    }
    writes.push({ image, regions, shapes: entry.shapes.length });
  }
  const author = userName();
  const kind = reader.format === 'coco' ? 'COCO' : 'GeoJSON';
  project.transaction(() => {
    for (const w of writes) {
      const mask = assembleLabelMap(w.image.width, w.image.height, w.regions);
      const parent = project.masks.current(w.image.id, 'ground-truth');
      project.masks.append({
        imageId: w.image.id, kind: 'ground-truth', source: SOURCE.imported, author, parentId: parent?.id ?? null, mask,
        note: `imported from ${kind} file ${basename(file)} (${w.shapes} shapes)`,
      });
      report.imageIds.push(w.image.id);
    }
  });
  report.imported = writes.length;
  return report;
}
