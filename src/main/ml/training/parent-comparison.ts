// The parent's validation scores, stored beside the fine-tuned version's own (same images,
// same validation code), so promotionOf (src/shared/promotion.ts) can tell whether the new
// version beats its parent.
import type { ValidationResult } from './validation';

export function parentComparison(parentVal: ValidationResult | null, images: number): Record<string, number> {
  if (!parentVal) return {};
  const out: Record<string, number> = { 'parent.valLoss': parentVal.loss, 'parent.valImages': images };
  for (const [k, v] of Object.entries(parentVal.dice)) out[`parent.dice.${k}`] = v;
  return out;
}
