import type { Project } from '../project/project';
import type { ReportInput, ReportImageInput } from '../reports';
import type { Split } from '../../shared/domain';
import { loadImagePixels } from '../imaging/image-cache';
import { parseMaskSource } from '../evaluation/mask-source';

export interface ReportSelection {
  source: string;
  images: 'all' | Split;
  correctedOnly: boolean;
}

const WBC_TYPES = new Set(['lymphocyte', 'monocyte', 'neutrophil', 'eosinophil', 'basophil', 'band', 'blast', 'smudge']);

/**
 * Gather what a CNR report needs from the project. With `correctedOnly`, an image's
 * ground truth is used when it has one; images with only the requested prediction are
 * listed and flagged 'prediction-only' (no CNR) by the analysis.
 */
export async function buildReportInput(project: Project, sel: ReportSelection, backend: string | null): Promise<{ input: ReportInput; missing: number }> {
  const src = parseMaskSource(sel.source);
  const images: ReportImageInput[] = [];
  let missing = 0;
  for (const img of project.images.list(sel.images === 'all' ? {} : { split: [sel.images] })) {
    let v = sel.correctedOnly ? project.masks.current(img.id, 'ground-truth') : null;
    v ??= project.masks.current(img.id, src.kind, src.source);
    if (!v) {
      missing++;
      continue;
    }
    const mask = project.masks.load(v.id)!;
    images.push({
      name: img.name, hash: img.hash, difficulty: img.difficulty, typeTag: img.tags.find((t) => WBC_TYPES.has(t)) ?? null, split: img.split,
      image: await loadImagePixels(project, img.id), mask, maskKind: v.kind, maskSource: v.source,
      modelVersion: v.kind === 'prediction' ? v.source : null, maskVersionTime: v.createdAt, corrected: v.kind === 'ground-truth',
    });
  }
  const modelVersion = src.kind === 'prediction' ? (images.find((i) => i.modelVersion)?.modelVersion ?? src.source ?? null) : null;
  const trainedOn = modelVersion
    ? (project.db.prepare("SELECT backend FROM models WHERE name || '@' || version = ?").get(modelVersion) as { backend: string | null } | undefined)?.backend ?? null
    : null;
  const settings = project.settings.get();
  return {
    input: {
      projectName: project.name, projectPath: project.path, createdAt: new Date().toISOString(), maskSource: src.label,
      calibration: settings.pixelsPerMicrometre, backend: trainedOn ?? backend, modelVersion, images, correctedOnly: sel.correctedOnly,
    },
    missing,
  };
}
