// The loop's result as text: one row per class and metric, before and after, mean ± SE.
import type { LoopResult } from './loop-experiment';

const NAMES: Record<string, string> = { iou: 'IoU', dice: 'Dice', iou_b: 'IoU_b' };

const pm = (v: { mean: number; se: number } | null): string => (v ? `${v.mean.toFixed(3)} ± ${v.se.toFixed(3)}` : '-');

export function formatLoopTable(r: LoopResult): string {
  const head = ['class', 'metric', r.from ? `before (${r.from})` : 'before', `after (${r.model})`, 'change'];
  const rows = r.table.map((row) => [
    row.cls, NAMES[row.metric], pm(row.before), pm(row.after),
    row.before ? `${row.after.mean - row.before.mean >= 0 ? '+' : ''}${(row.after.mean - row.before.mean).toFixed(3)}` : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((x) => x[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

export function formatLoopReport(r: LoopResult): string {
  const lines: string[] = [];
  lines.push(`folder ${r.folder}: ${r.images.withMasks} images with masks (${r.images.train} train / ${r.images.val} val / ${r.images.test} test)${r.images.withoutMasks ? `, ${r.images.withoutMasks} without masks (not used)` : ''}`);
  const unsure = r.pickedBy === 'confidence' ? `least confident under ${r.from}` : `least agreement between ${r.from} and the active contour (no stored confidence)`;
  const how = r.pick === 'random' ? 'at random' : r.pick === 'mixed' ? `half ${unsure}, half at random` : unsure;
  lines.push(`corrected ${r.corrected.length} train-split images, picked ${how}`);
  lines.push(`${r.from ? `fine-tuned ${r.from}` : 'trained from scratch'} -> ${r.model}: ${r.plan.train} images trained, ${r.plan.heldBack} held back for early stopping; ${r.epochsRun} epochs in ${r.minutes} min (stopped by ${r.stoppedBy})`);
  lines.push('');
  lines.push(`test split, ${r.evaluationImages} images segmented from the images alone (mean ± standard error):`);
  lines.push(formatLoopTable(r));
  lines.push('');
  if (r.promotion) {
    const n = r.promotion.images !== null ? ` on the same ${r.promotion.images} held-back images` : '';
    lines.push(`validation Dice (cytoplasm, nucleus)${n}: parent ${r.from} ${r.promotion.parent.toFixed(3)}, fine-tuned ${r.promotion.tuned.toFixed(3)}: ${r.promotion.beats ? `proposed as the new default (hemaseg models ${r.project} --make-default ${r.model})` : 'not proposed (it does not beat its parent)'}`);
  }
  lines.push(`stored as evaluations ${r.evaluations.before ?? '-'} (before) and ${r.evaluations.after} (after) in ${r.project}${r.temporaryProject ? ' (a temporary project; open it to look at the masks in Compare)' : ''}`);
  return lines.join('\n');
}
