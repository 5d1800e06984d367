// Tables and the histogram from stored evaluations of A and B (against the same truth):
// metric x class, one metric per difficulty class, the histogram of per-image scores, and
// the worst-N comparison with its images (click one to open it in the view above). Every
// number is the stored result or a shared/core/summary function of its rows: the renderer
// computes nothing its own way.
import { useMemo, useState } from 'react';
import type { EvaluationInfo } from '../../../shared/api';
import type { EvaluationResult, ImageRow, MeanSe, MetricTable } from '../../../shared/core/metric-types';
import { histogram, metricByImage, metricNames, worstN } from '../../../shared/core/summary';
import { BarChart } from '../../components/Charts';
import { difficultyLabel } from '../../components/badges';
import { num } from '../../components/format';
import type { DifficultyClass } from '../../../shared/domain';

const BINS = 20;

function cell(m: MeanSe | null | undefined): string {
  return m && m.n > 0 ? `${num(m.mean)} ± ${num(m.se)}` : '–';
}

/** `iou_b.cell` -> metric `iou_b`, class `cell`; `seg` -> metric `seg`, no class. */
function splitName(name: string): { metric: string; cls: string } {
  const i = name.lastIndexOf('.');
  return i > 0 ? { metric: name.slice(0, i), cls: name.slice(i + 1) } : { metric: name, cls: '' };
}

const EMPTY_TABLE: MetricTable = {};

export function EvalTables(props: {
  a: { info: EvaluationInfo | null; result: EvaluationResult | null };
  b: { info: EvaluationInfo | null; result: EvaluationResult | null };
  nameOf: (id: number) => string;
  onOpenImage: (id: number) => void;
  currentImage: number | null;
}) {
  const a = { info: props.a.info, rows: props.a.result?.perImage ?? [], means: props.a.result?.means ?? EMPTY_TABLE, byDifficulty: props.a.result?.byDifficulty ?? {} };
  const b = { info: props.b.info, rows: props.b.result?.perImage ?? [], means: props.b.result?.means ?? EMPTY_TABLE, byDifficulty: props.b.result?.byDifficulty ?? {} };
  const names = useMemo(() => metricNames([...a.rows, ...b.rows]), [a.rows, b.rows]);
  const [metricChoice, setMetric] = useState<string | null>(null);
  const metric = metricChoice && names.includes(metricChoice) ? metricChoice : (names[0] ?? '');
  const both = b.rows.length > 0;
  const labelA = a.info?.pred ?? 'A';
  const labelB = b.info?.pred ?? 'B';

  const classes = [...new Set([...Object.keys(a.byDifficulty), ...Object.keys(b.byDifficulty)])].sort(
    (x, y) => (x === 'none' ? 99 : Number(x)) - (y === 'none' ? 99 : Number(y)),
  );

  const hist = useMemo(() => {
    const values = (rows: ImageRow[]): number[] => [...metricByImage(rows, metric).values()];
    return { a: histogram(values(a.rows), BINS).bins, b: histogram(values(b.rows), BINS).bins };
  }, [a.rows, b.rows, metric]);
  const binLabels = useMemo(() => Array.from({ length: BINS }, (_, k) => `${((k / BINS) * 100).toFixed(0)}`), []);

  const worst = useMemo(() => (both ? [10, 30, 50].map((n) => worstN(a.rows, b.rows, n, metric)) : []), [a.rows, b.rows, metric, both]);
  const worstImages = useMemo(() => {
    const sa = metricByImage(a.rows, metric);
    const sb = metricByImage(b.rows, metric);
    const ids = [...sa.keys()].filter((id) => !both || sb.has(id));
    const lowest = (s: Map<number, number>) => [...ids].sort((x, y) => (s.get(x) ?? 0) - (s.get(y) ?? 0) || x - y).slice(0, 10);
    const union = [...new Set([...lowest(sa), ...(both ? lowest(sb) : [])])];
    return union.map((id) => ({ id, a: sa.get(id), b: sb.get(id) })).sort((x, y) => Math.min(x.a ?? 1, x.b ?? 1) - Math.min(y.a ?? 1, y.b ?? 1));
  }, [a.rows, b.rows, metric, both]);

  if (a.rows.length === 0 && b.rows.length === 0) {
    return (
      <div className="muted" data-testid="eval-empty">
        {a.info || b.info ? 'The stored evaluation has no per-image rows to tabulate.' : 'No stored evaluation for these sources yet. Run one to see the tables.'}
        {(a.info || b.info) && (
          <pre className="raw">{JSON.stringify({ A: a.info?.headline, B: b.info?.headline }, null, 2)}</pre>
        )}
      </div>
    );
  }

  return (
    <div className="eval-tables" data-testid="eval-tables">
      <div className="eval-grid">
        <section>
          <h3>Per class (mean ± standard error over images)</h3>
          <table className="table compact" data-testid="eval-per-class">
            <thead>
              <tr>
                <th>Metric</th>
                <th>Class</th>
                <th className="num">{labelA}</th>
                {both && <th className="num">{labelB}</th>}
              </tr>
            </thead>
            <tbody>
              {names.map((n) => {
                const { metric: m, cls } = splitName(n);
                return (
                  <tr key={n}>
                    <td>{m}</td>
                    <td>{cls || '–'}</td>
                    <td className="num">{cell(a.means[n])}</td>
                    {both && <td className="num">{cell(b.means[n])}</td>}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
        <section>
          <div className="row">
            <h3 className="grow">Per difficulty class</h3>
            <select value={metric} onChange={(e) => setMetric(e.target.value)} data-testid="eval-metric">
              {names.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
          <table className="table compact" data-testid="eval-per-difficulty">
            <thead>
              <tr>
                <th>Difficulty class</th>
                <th className="num">n</th>
                <th className="num">{labelA}</th>
                {both && <th className="num">{labelB}</th>}
              </tr>
            </thead>
            <tbody>
              {classes.map((d) => {
                const ta = a.byDifficulty[d]?.[metric];
                const tb = b.byDifficulty[d]?.[metric];
                return (
                  <tr key={d}>
                    <td>{difficultyLabel((d === 'none' ? 0 : Number(d)) as DifficultyClass | 0)}</td>
                    <td className="num">{ta?.n ?? tb?.n ?? 0}</td>
                    <td className="num">{cell(ta)}</td>
                    {both && <td className="num">{cell(tb)}</td>}
                  </tr>
                );
              })}
              <tr className="total">
                <td>All</td>
                <td className="num">{a.rows.length}</td>
                <td className="num">{cell(a.means[metric])}</td>
                {both && <td className="num">{cell(b.means[metric])}</td>}
              </tr>
            </tbody>
          </table>
        </section>
        <section>
          <h3>Histogram of per-image {metric}</h3>
          <BarChart
            labels={binLabels}
            series={[{ label: labelA, data: hist.a, color: '#2456c8' }, ...(both ? [{ label: labelB, data: hist.b, color: '#d9822b' }] : [])]}
            xLabel={`${metric} (%) bin start`}
            yLabel="images"
            testId="eval-histogram"
          />
        </section>
        <section>
          <h3>Worst-N{both ? '' : ' (needs evaluations of both A and B)'}</h3>
          {both && (
            <table className="table compact" data-testid="eval-worst-n">
              <thead>
                <tr>
                  <th className="num">N</th>
                  <th className="num">images in union</th>
                  <th className="num">{labelA}</th>
                  <th className="num">{labelB}</th>
                </tr>
              </thead>
              <tbody>
                {worst.map((w) => (
                  <tr key={w.n}>
                    <td className="num">{w.n}</td>
                    <td className="num">{w.images.length}</td>
                    <td className="num">{num(w.meanA)}</td>
                    <td className="num">{num(w.meanB)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>Worst images (click to open)</h3>
          <div className="scroll-table">
            <table className="table compact" data-testid="eval-worst-images">
              <thead>
                <tr>
                  <th>Image</th>
                  <th className="num">{labelA}</th>
                  {both && <th className="num">{labelB}</th>}
                </tr>
              </thead>
              <tbody>
                {worstImages.map((w) => (
                  <tr key={w.id} className={`clickable ${w.id === props.currentImage ? 'active' : ''}`} onClick={() => props.onOpenImage(w.id)} data-testid="eval-image-row" data-image-id={w.id}>
                    <td>{props.nameOf(w.id)}</td>
                    <td className="num">{num(w.a)}</td>
                    {both && <td className="num">{num(w.b)}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </div>
    </div>
  );
}
