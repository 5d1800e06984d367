import type { Project } from '../project/project';
import type { ReportInput, ReportImageInput } from '../reports';
import type { Split } from '../../shared/domain';
import { loadImagePixels } from '../imaging/image-cache';
import { resolveMaskSource } from '../evaluation/mask-source';

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
/** Stands in for an image whose mask or pixels cannot be read: grey, no cells. */
function placeholder(): Pick<ReportImageInput, 'image' | 'mask'> {
  const side = 8;
  return { image: { width: side, height: side, data: new Uint8Array(side * side * 3).fill(200) }, mask: { width: side, height: side, labels: new Uint8Array(side * side) } };
}

export async function buildReportInput(
  project: Project,
  sel: ReportSelection,
  backend: string | null,
): Promise<{ input: ReportInput; missing: number; unreadable: { name: string; reason: string }[] }> {
  // A bare model name means one version for the whole report (resolved once, not per image).
  const src = resolveMaskSource(project, sel.source);
  const images: ReportImageInput[] = [];
  let missing = 0;
  const unreadable: { name: string; reason: string }[] = [];
  const sequenceNames = new Map(project.sequences.list().map((s) => [s.id, s.name]));
  for (const img of project.images.list(sel.images === 'all' ? {} : { split: [sel.images] })) {
    let v = sel.correctedOnly ? project.masks.current(img.id, 'ground-truth') : null;
    v ??= project.masks.current(img.id, src.kind, src.source);
    if (!v) {
      missing++;
      continue;
    }
    // One corrupt blob (a zlib error, a damaged image) skips that image, named in the
    // report's flags; the rest of the report is still written.
    let pixels: Pick<ReportImageInput, 'image' | 'mask'> & { unreadable?: string };
    try {
      const mask = project.masks.load(v.id);
      if (!mask) throw new Error(`mask version ${v.id} is missing`);
      pixels = { mask, image: await loadImagePixels(project, img.id) };
    } catch (err) {
      const reason = `${v.kind} mask version ${v.id} (${v.source}) or its image cannot be read: ${(err as Error).message.split('\n')[0]}`;
      unreadable.push({ name: img.name, reason });
      pixels = { ...placeholder(), unreadable: reason };
    }
    images.push({
      name: img.name, hash: img.hash, difficulty: img.difficulty, typeTag: img.tags.find((t) => WBC_TYPES.has(t)) ?? null, split: img.split,
      sequence: img.sequenceId === null ? null : (sequenceNames.get(img.sequenceId) ?? null), frameIndex: img.frameIndex,
      ...pixels, maskKind: v.kind, maskSource: v.source,
      modelVersion: v.kind === 'prediction' ? v.source : null, maskVersionTime: v.createdAt, corrected: v.kind === 'ground-truth',
      ...confidenceOf(project, v.kind === 'prediction' ? v.id : null),
    });
  }
  const modelVersion = src.kind === 'prediction' ? (images.find((i) => i.modelVersion)?.modelVersion ?? src.source ?? null) : null;
  const trainedOn = modelVersion
    ? project.models.list().find((m) => m.ref === modelVersion)?.backend ?? null
    : null;
  const settings = project.settings.get();
  return {
    input: {
      projectName: project.name, projectPath: project.path, createdAt: new Date().toISOString(), maskSource: src.label,
      calibration: settings.pixelsPerMicrometre, backend: trainedOn ?? backend, modelVersion, images, correctedOnly: sel.correctedOnly,
    },
    missing,
    unreadable,
  };
}

/** The stored prediction confidence (migration 3) with the project's review threshold. */
function confidenceOf(project: Project, predictionVersionId: number | null): Pick<ReportImageInput, 'confidence'> {
  const c = predictionVersionId === null ? null : project.masks.confidence(predictionVersionId);
  return c ? { confidence: { threshold: project.settings.get().reviewThreshold, image: c.image, cells: c.cells } } : {};
}
