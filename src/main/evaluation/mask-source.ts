import type { MaskKind } from '../../shared/domain';
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
