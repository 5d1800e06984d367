// The seed 002 table as text: per network, Dice and IoU for cytoplasm and nucleus (mean ±
// standard error over the test images), pixel accuracy, training seconds and parameters,
// each measured row beside the thesis' numbers.
import { pm, textTable } from '../seed-common/seed-run';
import type { Seed002Result } from './seed002';

const f3 = (v: number): string => v.toFixed(3);

export function formatSeed002Table(r: Seed002Result): string {
  const head = ['network', 'source', 'Dice cytoplasm', 'Dice nucleus', 'IoU cytoplasm', 'IoU nucleus', 'accuracy', 'train s', 'params'];
  const rows: string[][] = [];
  for (const row of r.rows) {
    rows.push([
      row.family, `here ${row.model}`, pm(row.diceCytoplasm), pm(row.diceNucleus), pm(row.iouCytoplasm), pm(row.iouNucleus), pm(row.accuracy),
      row.trainingSeconds !== null ? String(Math.round(row.trainingSeconds)) : '-', row.params !== null ? row.params.toLocaleString('en-US') : '-',
    ]);
    const t = row.thesis;
    rows.push(['', 'thesis', f3(t.diceCytoplasm), f3(t.diceNucleus), `${f3(t.iouCytoplasm)}*`, `${f3(t.iouNucleus)}*`, f3(t.accuracy), `${t.trainSeconds} (GPU)`, '-']);
  }
  return textTable(head, rows, 2);
}

export function formatSeed002Report(r: Seed002Result): string {
  const lines: string[] = [];
  const i = r.images;
  if (r.protocol === 'thesis' && i.exactSize) {
    lines.push(`thesis protocol: ${i.exactSize.count} of ${i.inFolder} images in ${r.folder} are exactly ${i.exactSize.size}x${i.exactSize.size} (the thesis says 224); with their flip/rot90 copies ${i.train + i.val + i.test} images, split at random ${i.train} train / ${i.val} val / ${i.test} test`);
  } else {
    lines.push(`clean protocol: ${i.inFolder} images in ${r.folder}, the content-hash split of \`hemaseg import\` (the shipped default model's): ${i.train} train / ${i.val} val / ${i.test} test (never trained on)`);
  }
  if (r.leak) lines.push(r.leak.warning);
  lines.push('');
  lines.push(`seed 002 on ${r.evaluationImages} test images, ${r.minutes} min of training per network (mean ± standard error over images):`);
  lines.push(formatSeed002Table(r));
  lines.push('* thesis IoU derived from its Dice (D / (2 - D)): its Jaccard column exceeds its Dice, which a real IoU cannot.');
  lines.push(`thesis numbers: ${r.thesisSource}; ${r.thesisNote.split('. ')[0]}.`);
  for (const row of r.rows) {
    lines.push(`${row.model}: ${row.arch}, ${row.epochsRun ?? '?'} epochs (best ${row.bestEpoch ?? '?'}), stopped by ${row.stoppedBy}${row.backend ? `, ${row.backend}` : ''}`);
  }
  if (r.leak) lines.push(r.leak.warning);
  lines.push(`stored in ${r.project}: comparison ${r.comparisonId ?? '-'} (evaluations ${r.rows.map((x) => x.evaluationId ?? '-').join(', ')})${r.temporaryProject ? ' (a temporary project)' : ''}; open it in Compare`);
  return lines.join('\n');
}
