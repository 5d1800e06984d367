// `hemaseg compare` as text: the image set, what each source dropped, then the tables of
// shared/core/comparison (per metric, per class, per difficulty class, worst-N, worst images).
import type { ComparisonRun } from '../../../shared/core/comparison';
import type { MeanSe } from '../../../shared/core/metric-types';

const ms = (m: MeanSe | null): string => (m && m.n > 0 ? `${(m.mean * 100).toFixed(1)} ± ${(m.se * 100).toFixed(1)}` : '-');
const pc = (v: number | null): string => (v === null || !Number.isFinite(v) ? '-' : `${(v * 100).toFixed(1)}`);

export function formatComparison({ comparison: c, tables: t }: ComparisonRun, lowest = 5): string {
  const w = Math.max(14, ...t.sources.map((s) => s.length + 2));
  const head = (first: string, width = 18): string => `${first.padEnd(width)}${t.sources.map((s) => s.padStart(w)).join('')}`;
  const line = (first: string, cells: string[], width = 18): string => `${first.padEnd(width)}${cells.map((x) => x.padStart(w)).join('')}`;
  const out: string[] = [];
  const s = c.settings;
  out.push(`${c.imageIds.length} images, the same for every source (${s.split === 'all' ? 'all splits' : `${s.split} split`}, vs ${s.truth}${s.borderPx === null ? '' : `, border ${s.borderPx} px`})`);
  if (c.noTruth) out.push(`  ${c.noTruth} images of the split have no ${s.truth} mask`);
  for (const src of c.sources) {
    if (!src.dropped.length) continue;
    const other = src.dropped.length - src.missingOwn;
    out.push(`  ${src.label}: ${src.dropped.length} dropped (${src.missingOwn} without its own mask${other ? `, ${other} because another source has none` : ''})`);
  }
  out.push('', 'per metric (%, mean ± SE over images)', head('metric'));
  for (const r of t.metrics) out.push(line(r.key, r.values.map(ms)));
  for (const pcl of t.perClass) {
    out.push('', `${pcl.cls}`, head('metric'));
    for (const r of pcl.rows) out.push(line(r.key, r.values.map(ms)));
  }
  if (t.byDifficulty.length) {
    out.push('', `${s.metric} per difficulty class`, head('class (n)'));
    for (const d of t.byDifficulty) out.push(line(`${d.difficulty === 'none' ? 'none' : `class ${d.difficulty}`} (${d.n})`, d.values.map(ms)));
  }
  out.push('', `worst-N on ${s.metric} (union of each source's N worst images; each source's mean on it)`, head('N (images)'));
  for (const x of t.worst) out.push(line(`N=${x.n} (${x.images.length})`, x.means.map(pc)));
  out.push('', `lowest ${s.metric}`, head('image', 24));
  for (const r of t.perImage.slice(0, lowest)) out.push(line(r.name.length > 23 ? `${r.name.slice(0, 22)}…` : r.name, r.values.map(pc), 24));
  return out.join('\n');
}
