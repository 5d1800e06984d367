import { DIFFICULTY_CLASSES, type DifficultyClass, type MaskKind } from '../../shared/domain';

export function difficultyLabel(d: DifficultyClass | null | 0): string {
  if (!d) return 'Unclassified';
  return `${d} · ${DIFFICULTY_CLASSES[d - 1]?.label ?? ''}`;
}

export function DifficultyBadge({ value }: { value: DifficultyClass | null }) {
  return (
    <span className={`badge diff diff-${value ?? 0}`} title={difficultyLabel(value)} data-testid="difficulty-badge">
      {value ?? '–'}
    </span>
  );
}

const KIND_SHORT: Record<MaskKind, string> = { 'ground-truth': 'GT', prediction: 'P', baseline: 'AC' };
const KIND_TITLE: Record<MaskKind, string> = { 'ground-truth': 'ground truth', prediction: 'model prediction', baseline: 'active-contour baseline' };

/** The mask kinds an image has (only those present), e.g. GT P AC; "no mask" when none. */
export function MaskKindChips({ kinds, corrected }: { kinds: readonly MaskKind[]; corrected: boolean }) {
  const present = (['ground-truth', 'prediction', 'baseline'] as const).filter((k) => kinds.includes(k));
  return (
    <span className="kind-chips" data-testid="mask-kinds" data-kinds={present.join(' ')}>
      {present.length === 0 && <span className="kind-chip off">no mask</span>}
      {present.map((k) => (
        <span key={k} className={`kind-chip on ${k}`} title={k === 'ground-truth' && corrected ? 'ground truth, corrected by hand' : KIND_TITLE[k]}>
          {k === 'ground-truth' && corrected ? 'GT✓' : KIND_SHORT[k]}
        </span>
      ))}
    </span>
  );
}
