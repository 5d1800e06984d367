// Tables and the histogram from stored evaluations of A and B (against the same truth):
// metric x class, one metric per difficulty class, the histogram of per-image scores, and
// the worst-N comparison with its images (click one to open it in the view above).
import { useMemo, useState } from 'react';
import type { EvaluationInfo } from '../../../shared/api';
import { BarChart } from '../../components/Charts';
import { difficultyLabel } from '../../components/badges';
import { num } from '../../components/format';
import { byDifficulty, classTable, histogram, meanSe, metricNames, worstN, type MeanSe, type PerImageRow } from '../../lib/eval-result';
import type { DifficultyClass } from '../../../shared/domain';

const BINS = 20;

function cell(m: MeanSe | null | undefined): string {
  return m ? `${num(m.mean)} ± ${num(m.se)}` : '–';
}

export function EvalTables(props: {
  a: { info: EvaluationInfo | null; rows: PerImageRow[] };
  b: { info: EvaluationInfo | null; rows: PerImageRow[] };
  difficultyOf: (id: number) => number | null;
  nameOf: (id: number) => string;
  onOpenImage: (id: number) => void;
  currentImage: number | null;
}) {
  const { a, b } = props;
  const names = useMemo(() => metricNames([...a.rows, ...b.rows]), [a.rows, b.rows]);
  const [metricChoice, setMetric] = useState<string | null>(null);
  const metric = metricChoice && names.includes(metricChoice) ? metricChoice : (names[0] ?? '');
  const tableA = useMemo(() => classTable(a.rows), [a.rows]);
  const tableB = useMemo(() => classTable(b.rows), [b.rows]);
  const both = b.rows.length > 0;
  const labelA = a.info?.pred ?? 'A';
  const labelB = b.info?.pred ?? 'B';

  const diffA = useMemo(() => byDifficulty(a.rows, metric, props.difficultyOf), [a.rows, metric, props.difficultyOf]);
  const diffB = useMemo(() => byDifficulty(b.rows, metric, props.difficultyOf), [b.rows, metric, props.difficultyOf]);
  const classes = [...new Set([...diffA.keys(), ...diffB.keys()])].sort((x, y) => (x || 99) - (y || 99));

  const hist = useMemo(() => {
    const values = (rows: PerImageRow[]): number[] => rows.map((r) => r.metrics[metric]).filter((v): v is number => v !== undefined);
    return { a: histogram(values(a.rows), BINS), b: histogram(values(b.rows), BINS) };
  }, [a.rows, b.rows, metric]);
  const binLabels = useMemo(() => Array.from({ length: BINS }, (_, k) => `${((k / BINS) * 100).toFixed(0)}`), []);

  const worst = useMemo(() => (both ? [10, 30, 50].map((n) => worstN(a.rows, b.rows, metric, n)) : []), [a.rows, b.rows, metric, both]);
  const worstImages = useMemo(() => {
    const score = (rows: PerImageRow[]) => new Map(rows.map((r) => [r.imageId, r.metrics[metric]]));
    const sa = score(a.rows);
    const sb = score(b.rows);
    const ids = [...sa.keys()].filter((id) => sa.get(id) !== undefined && (!both || sb.get(id) !== undefined));
    const lowest = (s: Map<number, number | undefined>) => [...ids].sort((x, y) => (s.get(x) ?? 0) - (s.get(y) ?? 0)).slice(0, 10);
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
              {tableA.metrics.concat(tableB.metrics.filter((m) => !tableA.metrics.includes(m))).flatMap((m) =>
                [...new Set([...tableA.classes, ...tableB.classes])]
                  .filter((c) => tableA.cell(m, c) || tableB.cell(m, c))
                  .map((c) => (
                    <tr key={`${m}.${c}`}>
                      <td>{m}</td>
                      <td>{c || '–'}</td>
                      <td className="num">{cell(tableA.cell(m, c))}</td>
                      {both && <td className="num">{cell(tableB.cell(m, c))}</td>}
                    </tr>
                  )),
              )}
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
              {classes.map((d) => (
                <tr key={d}>
                  <td>{difficultyLabel(d as DifficultyClass | 0)}</td>
                  <td className="num">{diffA.get(d)?.n ?? diffB.get(d)?.n ?? 0}</td>
                  <td className="num">{cell(diffA.get(d))}</td>
                  {both && <td className="num">{cell(diffB.get(d))}</td>}
                </tr>
              ))}
              <tr className="total">
                <td>All</td>
                <td className="num">{a.rows.length}</td>
                <td className="num">{cell(meanSe(a.rows.map((r) => r.metrics[metric]).filter((v): v is number => v !== undefined)))}</td>
                {both && <td className="num">{cell(meanSe(b.rows.map((r) => r.metrics[metric]).filter((v): v is number => v !== undefined)))}</td>}
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
                    <td className="num">{w.images}</td>
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
