import { stringify } from 'csv-stringify/sync';
import { DIFFICULTY_CLASSES } from '../../shared/domain';
import type { EvaluationResult, MetricTable } from '../../shared/core/metric-types';

const HEADLINE = ['iou.cell', 'iou_b.cell', 'iou.cytoplasm', 'iou_b.cytoplasm', 'iou.nucleus', 'iou_b.nucleus', 'dice.cytoplasm', 'dice.nucleus', 'precision.cell', 'recall.cell', 'accuracy', 'seg'];

/** The per-class-by-difficulty table: one row per difficulty class, mean and SE per metric. */
export function difficultyTableCsv(result: EvaluationResult, metrics = HEADLINE): string {
  const rows: (string | number)[][] = [];
  const line = (label: string, count: number, t: MetricTable) => [label, count, ...metrics.flatMap((m) => (t[m] ? [t[m].mean.toFixed(4), t[m].se.toFixed(4)] : ['', '']))];
  rows.push(line('all', result.images, result.means));
  for (const [key, table] of Object.entries(result.byDifficulty)) {
    const name = key === 'none' ? 'unclassified' : `${key} ${DIFFICULTY_CLASSES.find((d) => String(d.id) === key)?.label ?? ''}`;
    const count = Math.max(0, ...Object.values(table).map((v) => v.n));
    rows.push(line(name, count, table));
  }
  return stringify(rows, { header: true, columns: ['difficulty', 'images', ...metrics.flatMap((m) => [m, `${m}_se`])] });
}

export function formatSummary(result: EvaluationResult): string {
  const pct = (m: string) => (result.means[m] ? `${(result.means[m].mean * 100).toFixed(1)}% ±${(result.means[m].se * 100).toFixed(1)}` : '-');
  const lines = [`${result.settings.pred} vs ${result.settings.truth} on ${result.images} images (${result.settings.split}), border ${result.settings.borderPx === 'auto' ? `${result.settings.borderPer128} px per 128 px` : `${result.settings.borderPx} px`}`];
  lines.push(`${'class'.padEnd(10)} ${'IoU'.padStart(13)} ${'IoU_b'.padStart(13)} ${'Dice'.padStart(13)} ${'precision'.padStart(13)} ${'recall'.padStart(13)}`);
  for (const cls of ['cell', 'cytoplasm', 'nucleus', 'edge']) {
    if (!result.means[`iou.${cls}`]) continue;
    lines.push(`${cls.padEnd(10)} ${pct(`iou.${cls}`).padStart(13)} ${pct(`iou_b.${cls}`).padStart(13)} ${pct(`dice.${cls}`).padStart(13)} ${pct(`precision.${cls}`).padStart(13)} ${pct(`recall.${cls}`).padStart(13)}`);
  }
  lines.push(`pixel accuracy ${pct('accuracy')}${result.means.seg ? `, SEG ${pct('seg')}` : ''}`);
  const diff = Object.entries(result.byDifficulty).filter(([k]) => k !== 'none');
  if (diff.length) {
    lines.push('IoU_b (cell) per difficulty class:');
    for (const [k, t] of diff) lines.push(`  ${k} ${(DIFFICULTY_CLASSES.find((d) => String(d.id) === k)?.label ?? '').padEnd(20)} ${t['iou_b.cell'] ? `${(t['iou_b.cell'].mean * 100).toFixed(1)}%` : '-'} (${t['iou_b.cell']?.n ?? 0} images)`);
  }
  const seq = sequenceTable(result);
  if (seq) lines.push(seq);
  return lines.join('\n');
}

/**
 * The per-sequence table `hemaseg evaluate` prints when evaluated images are frames: one
 * line per sequence with its frame count and the cell and nucleus scores, so a film that
 * fails stands out from the mean. Empty string when no frame was evaluated.
 */
export function sequenceTable(result: EvaluationResult): string {
  const groups = Object.entries(result.bySequence ?? {});
  if (!groups.length) return '';
  const cols = ['iou.cell', 'iou_b.cell', 'dice.nucleus', 'recall.cell', 'precision.cell', 'seg'].filter((m) => groups.some(([, t]) => t[m]));
  const width = Math.max(8, ...groups.map(([k]) => k.length));
  const cell = (t: MetricTable, m: string): string => (t[m] ? `${(t[m].mean * 100).toFixed(1)}% ±${(t[m].se * 100).toFixed(1)}` : '-');
  const lines = ['per sequence:', `  ${'sequence'.padEnd(width)} ${'frames'.padStart(6)} ${cols.map((m) => m.padStart(14)).join(' ')}`];
  for (const [name, t] of groups) {
    const frames = Math.max(0, ...Object.values(t).map((v) => v.n));
    lines.push(`  ${name.padEnd(width)} ${String(frames).padStart(6)} ${cols.map((m) => cell(t, m).padStart(14)).join(' ')}`);
  }
  return lines.join('\n');
}

/** The per-sequence table as CSV (sequence, frames, mean and SE per metric); null without frames. */
export function sequenceTableCsv(result: EvaluationResult, metrics = HEADLINE): string | null {
  const groups = Object.entries(result.bySequence ?? {});
  if (!groups.length) return null;
  const rows = groups.map(([name, t]) => [name, Math.max(0, ...Object.values(t).map((v) => v.n)), ...metrics.flatMap((m) => (t[m] ? [t[m].mean.toFixed(4), t[m].se.toFixed(4)] : ['', '']))]);
  return stringify(rows, { header: true, columns: ['sequence', 'frames', ...metrics.flatMap((m) => [m, `${m}_se`])] });
}

/** A minimal standalone SVG histogram (no dependency). */
export function histogramSvg(h: { bins: number[]; edges: number[]; metric: string }, title = `Per-image ${h.metric}`): string {
  const W = 560, H = 300, L = 48, B = 40, T = 30, R = 12;
  const max = Math.max(1, ...h.bins);
  const bw = (W - L - R) / h.bins.length;
  const bars = h.bins.map((c, i) => {
    const bh = ((H - T - B) * c) / max;
    return `<rect x="${(L + i * bw + 1).toFixed(1)}" y="${(H - B - bh).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${bh.toFixed(1)}" fill="#5b6bbf"><title>${h.edges[i].toFixed(2)}-${h.edges[i + 1].toFixed(2)}: ${c}</title></rect>`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((v) => {
    const x = L + (W - L - R) * v;
    return `<text x="${x}" y="${H - B + 16}" font-size="11" text-anchor="middle">${v.toFixed(2)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${W / 2}" y="18" font-size="14" text-anchor="middle">${title}</text>
<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/>
<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#333"/>
<text x="${L - 6}" y="${T + 4}" font-size="11" text-anchor="end">${max}</text>
<text x="${L - 6}" y="${H - B}" font-size="11" text-anchor="end">0</text>
<text x="${W / 2}" y="${H - 6}" font-size="12" text-anchor="middle">${h.metric}</text>
${bars.join('\n')}
${ticks.join('\n')}
</svg>`;
}
