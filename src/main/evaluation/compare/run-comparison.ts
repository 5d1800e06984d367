// N-way comparison: every source evaluated against one truth on exactly ONE image set (the
// split's images that have the truth mask and every source's mask), the evaluations stored,
// and a comparison row recording them. Never two different image sets side by side.
import type { Project } from '../../project/project';
import type { Split } from '../../../shared/domain';
import { comparisonTables, type Comparison, type ComparisonRun, type ComparisonSource, type DroppedImage } from '../../../shared/core/comparison';
import { resolveMaskSource, type MaskSourceRef } from '../mask-source';
import { runEvaluation } from '../run-evaluation';

export interface ComparisonRequest {
  /** Model refs (`unet@2`), bare model names (newest version with masks), `active-contour`, `ground-truth`. */
  sources: string[];
  /** Default 'ground-truth'. */
  truth?: string;
  split: Split | 'all';
  /** IoU_b band in px; null/undefined = 1 px per 128 px of image side. */
  borderPx?: number | null;
  /** Worst-N sizes (default 10, 30, 50). */
  worst?: number[];
  /** Metric of the worst-N table, per-difficulty table and grid order (default 'iou.cell'). */
  metric?: string;
  /** Store the evaluations and the comparison (default true). */
  store?: boolean;
  /** Where it came from, e.g. 'experiment seed002' (shown in the list of stored comparisons). */
  label?: string | null;
  /** Only these images (within the split), e.g. an experiment's test images. */
  imageIds?: number[];
}

/** The project's sources as users type them: ground-truth, then every prediction and baseline source. */
export function knownSources(project: Project): string[] {
  const names = project.masks.sources().filter((s) => s.kind !== 'ground-truth').map((s) => (s.kind === 'baseline' && s.source === 'active-contour' ? 'active-contour' : s.source));
  return ['ground-truth', ...new Set(names)];
}

function hasAnyMask(project: Project, ref: MaskSourceRef): boolean {
  return project.masks.sources().some((s) => s.kind === ref.kind && (ref.source === undefined || s.source === ref.source));
}

/** Resolve every source once for the whole comparison; an unknown one is refused by name. */
function resolveAll(project: Project, sources: readonly string[]): { asked: string; ref: MaskSourceRef }[] {
  if (!sources.length) throw new Error('no sources to compare (give at least one, e.g. unet@2,active-contour)');
  const out = sources.map((asked) => ({ asked, ref: resolveMaskSource(project, asked) }));
  for (const { asked, ref } of out) {
    if (hasAnyMask(project, ref)) continue;
    const known = knownSources(project).join(', ');
    throw new Error(
      ref.label !== asked.trim()
        ? `source '${asked}' (${ref.label}) has no masks in this project; segment with it first (this project's sources: ${known})`
        : `unknown source '${asked}': no mask of it in this project (this project's sources: ${known})`,
    );
  }
  const seen = new Map<string, string>();
  for (const { asked, ref } of out) {
    const key = `${ref.kind}|${ref.source ?? ''}`;
    if (seen.has(key)) throw new Error(`'${asked}' and '${seen.get(key)}' are the same source (${ref.label}); give each source once`);
    seen.set(key, asked);
  }
  return out;
}

/** Evaluate `sources` against the truth on their one common image set; store it all unless told not to. */
export function runComparison(project: Project, req: ComparisonRequest): ComparisonRun {
  const truthText = req.truth ?? 'ground-truth';
  const truth = resolveMaskSource(project, truthText);
  if (!hasAnyMask(project, truth)) throw new Error(`unknown truth '${truthText}': no mask of it in this project (this project's sources: ${knownSources(project).join(', ')})`);
  const sources = resolveAll(project, req.sources);
  const metric = req.metric ?? 'iou.cell';
  const worst = req.worst ?? [10, 30, 50];
  const store = req.store !== false;
  const splitText = req.split === 'all' ? '' : ` in the ${req.split} split`;

  const images = project.images.list({ ...(req.split === 'all' ? {} : { split: [req.split] }), ...(req.imageIds ? { ids: req.imageIds } : {}) });
  let noTruth = 0;
  const common: number[] = [];
  // Per image with a truth mask: which sources lack a mask.
  const lacking = new Map<number, { name: string; missing: number[] }>();
  for (const img of images) {
    if (!project.masks.current(img.id, truth.kind, truth.source)) {
      noTruth++;
      continue;
    }
    const missing = sources.flatMap((s, k) => (project.masks.current(img.id, s.ref.kind, s.ref.source) ? [] : [k]));
    if (missing.length) lacking.set(img.id, { name: img.name, missing });
    else common.push(img.id);
  }
  if (!common.length) {
    const per = sources.map((s, k) => `${s.ref.label} lacks ${[...lacking.values()].filter((l) => l.missing.includes(k)).length}`).join(', ');
    throw new Error(`no image${splitText} has a ${truth.label} mask and a mask of every source (${images.length - noTruth} with ${truth.label}; ${per})`);
  }

  const dropped = (k: number): DroppedImage[] =>
    [...lacking.entries()].map(([imageId, l]) => ({
      imageId, name: l.name,
      reason: l.missing.includes(k) ? `no ${sources[k].ref.label} mask` : `no ${l.missing.map((m) => sources[m].ref.label).join(', ')} mask (another source)`,
    }));

  const work = (): Comparison => {
    const evaluated: ComparisonSource[] = sources.map((s, k) => {
      const run = runEvaluation(project, { pred: s.asked, truth: truthText, split: req.split, borderPx: req.borderPx ?? null, histogramMetric: metric, imageIds: common, store });
      // The set was checked above; a difference here would put two image sets side by side.
      if (run.result.images !== common.length) throw new Error(`internal: ${s.ref.label} was evaluated on ${run.result.images} images, not the common ${common.length}`);
      const d = dropped(k);
      return { asked: s.asked, label: run.result.settings.pred, evaluationId: run.id, dropped: d, missingOwn: d.filter((x) => lacking.get(x.imageId)!.missing.includes(k)).length, result: run.result };
    });
    const settings = { truth: truth.label, split: req.split, borderPx: req.borderPx ?? null, metric, worst };
    const createdAt = new Date().toISOString();
    const label = req.label ?? null;
    const id = store
      ? project.comparisons.insert(
          { label, settings, imageIds: common, noTruth, sources: evaluated.map((e) => ({ asked: e.asked, label: e.label, evaluationId: e.evaluationId as number, dropped: e.dropped, missingOwn: e.missingOwn })) },
          createdAt,
        )
      : null;
    return { id, label, createdAt, settings, imageIds: common, noTruth, sources: evaluated };
  };
  const comparison = store ? project.transaction(work) : work();
  return { comparison, tables: comparisonTables(comparison) };
}

/** A stored comparison, rebuilt from the evaluations it recorded. */
export function getComparison(project: Project, id: number): ComparisonRun {
  const stored = project.comparisons.get(id);
  if (!stored) throw new Error(`no comparison ${id}`);
  const sources: ComparisonSource[] = stored.sources.map((s) => {
    const e = project.evaluations.get(s.evaluationId);
    if (!e) throw new Error(`comparison ${id}: its evaluation ${s.evaluationId} of ${s.label} is gone`);
    return { asked: s.asked, label: s.label, evaluationId: s.evaluationId, dropped: s.dropped, missingOwn: s.missingOwn, result: e.result };
  });
  const comparison: Comparison = { id: stored.id, label: stored.label, createdAt: stored.createdAt, settings: stored.settings, imageIds: stored.imageIds, noTruth: stored.noTruth, sources };
  return { comparison, tables: comparisonTables(comparison) };
}
