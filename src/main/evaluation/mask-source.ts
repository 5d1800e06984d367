import type { MaskKind } from '../../shared/domain';
import type { Project } from '../project/project';
import { SOURCE } from '../../shared/domain';

export interface MaskSourceRef {
  kind: MaskKind;
  /** Undefined: the current mask of the kind whatever its source. */
  source?: string;
  label: string;
}

/**
 * What users type for a mask source: `ground-truth`, `active-contour` (or `baseline`),
 * `prediction` (newest of any model), a model `name` (its newest version) or `name@version`.
 */
export function parseMaskSource(text: string): MaskSourceRef {
  const t = text.trim();
  if (!t) throw new Error('empty mask source');
  if (t === 'ground-truth' || t === 'truth' || t === 'gt') return { kind: 'ground-truth', label: 'ground-truth' };
  if (t === 'active-contour' || t === 'baseline') return { kind: 'baseline', source: SOURCE.activeContour, label: 'active-contour' };
  if (t === 'prediction') return { kind: 'prediction', label: 'prediction' };
  return { kind: 'prediction', source: t, label: t };
}

/**
 * parseMaskSource, then a bare model name resolved once, for a whole evaluation, report or
 * export: the newest version of that model with predictions in the project (`unet` ->
 * `unet@2`), else the registry's newest version (so a missing mask names it), else the name
 * as typed (a prediction source stored under a plain name). Never per image.
 */
export function resolveMaskSource(project: Project, text: string): MaskSourceRef {
  const ref = parseMaskSource(text);
  if (ref.kind !== 'prediction' || ref.source === undefined || ref.source.includes('@')) return ref;
  const name = ref.source;
  if (project.masks.sources().some((s) => s.kind === 'prediction' && s.source === name)) return ref;
  const stored = project.masks.newestVersionSource('prediction', name);
  if (stored) return { ...ref, source: stored, label: stored };
  const registered = project.models.list().filter((m) => m.name === name);
  if (registered.length) {
    const newest = registered.reduce((a, b) => (b.version > a.version ? b : a));
    return { ...ref, source: newest.ref, label: newest.ref };
  }
  return ref;
}
