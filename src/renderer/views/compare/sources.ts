// Mask sources as the compare view and evaluations name them.
import type { SourceInfo } from '../../../shared/api';
import type { MaskKind } from '../../../shared/domain';

export interface SourceRef {
  kind: MaskKind;
  /** Undefined for "the current ground truth" (one slot, whatever its source). */
  source?: string;
}

export function sourceKey(s: SourceRef): string {
  return s.source === undefined ? s.kind : `${s.kind}|${s.source}`;
}

export function parseSourceKey(key: string): SourceRef {
  const [kind, ...rest] = key.split('|');
  return rest.length ? { kind: kind as MaskKind, source: rest.join('|') } : { kind: kind as MaskKind };
}

export function sourceLabel(s: SourceRef): string {
  if (s.kind === 'ground-truth') return s.source ? `ground truth (${s.source})` : 'ground truth';
  return s.source ?? s.kind;
}

/** The SOURCE name evaluations use: 'ground-truth', a model ref, or 'active-contour'. */
export function evalName(s: SourceRef): string {
  return s.kind === 'ground-truth' ? 'ground-truth' : (s.source ?? s.kind);
}

/** Selectable sources: the current ground truth, then every prediction and baseline source. */
export function sourceOptions(sources: readonly SourceInfo[]): { ref: SourceRef; label: string; images: number }[] {
  const gt = sources.filter((s) => s.kind === 'ground-truth').reduce((a, s) => a + s.images, 0);
  const out: { ref: SourceRef; label: string; images: number }[] = [{ ref: { kind: 'ground-truth' }, label: 'ground truth', images: gt }];
  for (const s of sources) if (s.kind !== 'ground-truth') out.push({ ref: { kind: s.kind, source: s.source }, label: sourceLabel({ kind: s.kind, source: s.source }), images: s.images });
  return out;
}

/** Sensible defaults: A = newest model prediction, B = the baseline or another model. */
export function defaultPair(sources: readonly SourceInfo[]): { a: SourceRef | null; b: SourceRef | null } {
  const preds = sources.filter((s) => s.kind === 'prediction');
  const base = sources.find((s) => s.kind === 'baseline');
  const a = preds.at(-1) ?? base ?? null;
  const b = base && base !== a ? base : preds.length > 1 ? preds.at(-2) : null;
  return { a: a ? { kind: a.kind, source: a.source } : null, b: b ? { kind: b.kind, source: b.source } : null };
}
