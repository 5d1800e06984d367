// The seed 003 tables as text: per fold and learning rate the cell IoU (mean ± SE over the
// fold's test images) and the share of images above the paper's 0.97; then per learning rate
// over all folds, beside what the paper reports.
import { pm, textTable } from '../seed-common/seed-run';
import { lrLabel } from './folds';
import type { Seed003Result } from './seed003';

const pct = (v: number): string => `${(100 * v).toFixed(1)} %`;

export function formatSeed003Table(r: Seed003Result): string {
  const lrs = r.byLr.map((x) => lrLabel(x.lr));
  const head = ['fold', 'train/val/test', ...lrs.flatMap((l) => [`IoU lr ${l}`, `> ${r.threshold}`])];
  const rows = r.folds.map((f) => [String(f.fold), `${f.train}/${f.val}/${f.test}`, ...f.cells.flatMap((c) => [pm(c.iou), pct(c.above)])]);
  rows.push(['folds', 'mean ± SE', ...r.byLr.flatMap((x) => [pm(x.foldIou), ''])]);
  rows.push(['images', `${r.byLr[0]?.images ?? 0} in all`, ...r.byLr.flatMap((x) => [pm(x.imageIou), pct(x.above)])]);
  rows.push(['paper', `${r.paper.trainImages}/-/${r.paper.testImages}`, ...r.byLr.flatMap(() => ['-', 'most'])]);
  return textTable(head, rows, 2);
}

export function formatSeed003Report(r: Seed003Result): string {
  const i = r.images;
  const lines: string[] = [];
  lines.push(`${r.folds.length}-fold cross-validation over ${i.crossValidated} images of ${r.folder} (${i.sizes} different sizes: each segmented whole, aspect kept, and scored at its own size); ${i.heldOut} content-hash test-split images held out of every fold`);
  lines.push(`network: deconvnet ${r.arch} (switch unpooling + transposed convolutions, 2 classes), ${r.params?.toLocaleString('en-US') ?? '?'} parameters, ${r.minutes} min per run${r.backend ? `, ${r.backend}` : ''}`);
  lines.push('');
  lines.push(`cell IoU (mean ± standard error) and share of test images with IoU above ${r.threshold}, per fold and learning rate:`);
  lines.push(formatSeed003Table(r));
  lines.push(`paper (${r.paper.source}): ${r.paper.claim}; ${r.paper.protocol}.`);
  const runs = r.folds.flatMap((f) => f.cells);
  lines.push(`runs: ${runs.map((c) => `${c.model} ${c.epochsRun ?? '?'} ep (${c.stoppedBy})`).join(', ')}`);
  lines.push(`stored in ${r.project}: comparisons ${r.folds.map((f) => f.comparisonId ?? '-').join(', ')} (one per fold)${r.temporaryProject ? ' (a temporary project)' : ''}; open them in Compare`);
  return lines.join('\n');
}
