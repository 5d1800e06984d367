// Registry numbers on this project's own validation images. A model's stored metrics come
// from wherever it was trained (the shipped default: another data set), so the registry
// compares versions by scoring each on this project's val split against its current ground
// truth. Results are ordinary stored evaluations; one is reused while the ground-truth and
// prediction versions it was computed on are still the current ones.
import type { ProjectValidation } from '../../../shared/ml';
import type { Project } from '../../project/project';
import { runEvaluation } from '../../evaluation/run-evaluation';

interface Pair {
  imageId: number;
  truth: number;
  pred: number;
}

function currentVersions(project: Project, ref: string): { truth: Map<number, number>; pred: Map<number, number> } {
  return { truth: project.masks.currentInSplit('val', 'ground-truth'), pred: project.masks.currentInSplit('val', 'prediction', ref) };
}

/** Val images with ground truth that have no current prediction of `ref`. */
export function imagesNeedingPrediction(project: Project, ref: string): number[] {
  const { truth, pred } = currentVersions(project, ref);
  return [...truth.keys()].filter((id) => !pred.has(id));
}

/** The stored evaluation of `ref` on the current val ground truth and predictions, if any. */
export function cachedProjectValidation(project: Project, ref: string): ProjectValidation | null {
  const { truth, pred } = currentVersions(project, ref);
  if (truth.size === 0 || [...truth.keys()].some((id) => !pred.has(id))) return null;
  for (const r of project.evaluations.recentFor(ref, 'val')) {
    const pairs: Pair[] = r.maskVersions;
    if (pairs.length !== truth.size) continue;
    if (!pairs.every((p) => truth.get(p.imageId) === p.truth && pred.get(p.imageId) === p.pred)) continue;
    const e = project.evaluations.get(r.id);
    if (!e) continue;
    return { evaluationId: r.id, images: e.info.images, metrics: e.info.headline, createdAt: e.info.createdAt };
  }
  return null;
}

export interface ProjectValidationDeps {
  /** Predict the given val images with `ref` (the ML worker in the app; a stub in tests). */
  segment(ref: string, imageIds: number[]): Promise<void>;
  onProgress?(done: number, total: number, message: string): void;
  signal?: AbortSignal;
}

/** Score each ref on the val split: predict what is missing, evaluate unless a current result is stored. */
export async function evaluateOnProject(project: Project, refs: string[], deps: ProjectValidationDeps): Promise<{ ref: string; validation: ProjectValidation }[]> {
  if (currentVersions(project, '').truth.size === 0) throw new Error(`${project.path}: no image in the val split has a ground-truth mask`);
  const out: { ref: string; validation: ProjectValidation }[] = [];
  for (const [k, ref] of refs.entries()) {
    if (deps.signal?.aborted) throw new Error('cancelled');
    deps.onProgress?.(k, refs.length, `${ref}: predicting`);
    const missing = imagesNeedingPrediction(project, ref);
    if (missing.length) await deps.segment(ref, missing);
    let v = cachedProjectValidation(project, ref);
    if (!v) {
      deps.onProgress?.(k, refs.length, `${ref}: evaluating`);
      runEvaluation(project, { pred: ref, truth: 'ground-truth', split: 'val', borderPx: null });
      v = cachedProjectValidation(project, ref);
    }
    if (!v) throw new Error(`${ref}: not every val image got a prediction`);
    out.push({ ref, validation: v });
  }
  deps.onProgress?.(refs.length, refs.length, 'done');
  return out;
}
