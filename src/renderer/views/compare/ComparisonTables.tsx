// The tables of one N-way comparison, exactly as shared/core/comparison shaped them: per
// metric, per class, per difficulty class, worst-N over all sources, bar charts across the
// sources, and the prediction grid (image, truth, each source) of the worst images. Every
// column is the same image set; the header says how many and what each source dropped.
import { useMemo, useState } from 'react';
import type { ComparisonRow, ComparisonRun } from '../../../shared/core/comparison';
import type { MeanSe } from '../../../shared/core/metric-types';
import type { DifficultyClass } from '../../../shared/domain';
import { BarChart, SERIES_COLORS } from '../../components/Charts';
import { difficultyLabel } from '../../components/badges';
import { num } from '../../components/format';
import { mediaUrl } from '../../state/media';

const CHART_METRICS = ['iou.cell', 'iou_b.cell', 'dice.cytoplasm', 'dice.nucleus', 'iou.nucleus', 'accuracy'];

function cell(m: MeanSe | null | undefined): string {
  return m && m.n > 0 ? `${num(m.mean)} ± ${num(m.se)}` : '–';
}

/** The best mean of a row is bold: the eye finds the winner per metric at once. */
function best(values: (MeanSe | null)[]): number {
  let k = -1;
  values.forEach((v, i) => {
    if (v && v.n > 0 && (k < 0 || v.mean > (values[k] as MeanSe).mean)) k = i;
  });
  return values.filter((v) => v && k >= 0 && v.mean === (values[k] as MeanSe).mean).length > 1 ? -1 : k;
}

function RowsTable(props: { title: string; first: string; rows: ComparisonRow[]; sources: string[]; testId: string }) {
  return (
    <section>
      <h3>{props.title}</h3>
      <table className="table compact" data-testid={props.testId}>
        <thead>
          <tr>
            <th>{props.first}</th>
            {props.sources.map((s) => (
              <th key={s} className="num">
                {s}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => {
            const b = best(r.values);
            return (
              <tr key={r.key} data-testid={`${props.testId}-row`} data-key={r.key}>
                <td>{r.key}</td>
                {r.values.map((v, i) => (
                  <td key={i} className={`num ${i === b ? 'strong' : ''}`}>
                    {cell(v)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

export function ComparisonTables(props: { run: ComparisonRun; onOpenImage: (imageId: number, sourceIndex: number | null) => void; currentImage: number | null }) {
  const { comparison: c, tables: t } = props.run;
  const metric = c.settings.metric;
  const [gridSize, setGridSize] = useState(6);

  const chart = useMemo(() => {
    const rows = CHART_METRICS.map((k) => t.metrics.find((r) => r.key === k)).filter((r): r is ComparisonRow => !!r);
    return {
      labels: rows.map((r) => r.key),
      series: t.sources.map((s, i) => ({ label: s, data: rows.map((r) => (r.values[i]?.mean ?? 0) * 100), color: SERIES_COLORS[i % SERIES_COLORS.length] })),
    };
  }, [t]);
  const worstChart = useMemo(
    () => ({
      labels: t.worst.map((w) => `N=${w.n} (${w.images.length})`),
      series: t.sources.map((s, i) => ({ label: s, data: t.worst.map((w) => (Number.isFinite(w.means[i]) ? w.means[i] * 100 : 0)), color: SERIES_COLORS[i % SERIES_COLORS.length] })),
    }),
    [t],
  );
  const grid = t.perImage.slice(0, gridSize);

  return (
    <div className="comparison" data-testid="eval-tables">
      <div className="comparison-head" data-testid="compare-image-set">
        <strong data-testid="compare-image-count">{c.imageIds.length} images, the same for every source</strong>
        <span className="muted small">
          {' '}
          ({c.settings.split === 'all' ? 'all splits' : `${c.settings.split} split`}, vs {c.settings.truth}
          {c.noTruth ? `; ${c.noTruth} images without ${c.settings.truth}` : ''}
          {c.id !== null ? `; stored as comparison ${c.id}` : ''}
          {c.label ? ` · ${c.label}` : ''})
        </span>
        <ul className="comparison-dropped small">
          {c.sources.map((s) => (
            <li key={s.label} data-testid="compare-dropped" data-source={s.label}>
              <strong>{s.label}</strong>
              {s.asked !== s.label && <span className="muted"> (asked as {s.asked})</span>}:{' '}
              {s.dropped.length === 0
                ? 'nothing dropped'
                : `${s.dropped.length} dropped — ${s.missingOwn} without its own mask${s.dropped.length > s.missingOwn ? `, ${s.dropped.length - s.missingOwn} because another source has none` : ''}`}
            </li>
          ))}
        </ul>
      </div>
      <div className="eval-grid">
        <RowsTable title="Per metric (mean ± standard error over images)" first="Metric" rows={t.metrics} sources={t.sources} testId="compare-metrics" />
        <section>
          <h3>Across sources (%)</h3>
          <BarChart labels={chart.labels} series={chart.series} xLabel="metric" yLabel="mean (%)" height={240} testId="compare-bars" />
        </section>
        {t.perClass.map((p) => (
          <RowsTable key={p.cls} title={`Class ${p.cls}`} first="Metric" rows={p.rows} sources={t.sources} testId={`compare-class-${p.cls}`} />
        ))}
        <section>
          <h3>{metric} per difficulty class</h3>
          <table className="table compact" data-testid="compare-difficulty">
            <thead>
              <tr>
                <th>Difficulty class</th>
                <th className="num">n</th>
                {t.sources.map((s) => (
                  <th key={s} className="num">
                    {s}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {t.byDifficulty.map((d) => {
                const b = best(d.values);
                return (
                  <tr key={d.difficulty}>
                    <td>{difficultyLabel((d.difficulty === 'none' ? 0 : Number(d.difficulty)) as DifficultyClass | 0)}</td>
                    <td className="num">{d.n}</td>
                    {d.values.map((v, i) => (
                      <td key={i} className={`num ${i === b ? 'strong' : ''}`}>
                        {cell(v)}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
        <section>
          <h3>Worst-N on {metric} (union of every source's N worst images)</h3>
          <table className="table compact" data-testid="eval-worst-n">
            <thead>
              <tr>
                <th className="num">N</th>
                <th className="num">images in union</th>
                {t.sources.map((s) => (
                  <th key={s} className="num">
                    {s}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {t.worst.map((w) => (
                <tr key={w.n}>
                  <td className="num">{w.n}</td>
                  <td className="num">{w.images.length}</td>
                  {w.means.map((m, i) => (
                    <td key={i} className="num">
                      {num(m)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <BarChart labels={worstChart.labels} series={worstChart.series} xLabel="worst-N" yLabel={`${metric} (%)`} height={180} testId="compare-worst-bars" />
        </section>
      </div>
      <section className="comparison-grid-section">
        <div className="row">
          <h3 className="grow">Worst images: image, truth and every source (click one to open it side by side above)</h3>
          <label className="inline small">
            show
            <select value={gridSize} onChange={(e) => setGridSize(Number(e.target.value))} data-testid="compare-grid-size">
              {[6, 12, 24, 48].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="comparison-grid" style={{ gridTemplateColumns: `minmax(140px, 220px) repeat(${t.sources.length + 2}, 112px)` }} data-testid="compare-grid">
          <div className="grid-head">Image ({metric})</div>
          <div className="grid-head">Image</div>
          <div className="grid-head">Truth</div>
          {t.sources.map((s) => (
            <div key={s} className="grid-head ellipsis" title={s}>
              {s}
            </div>
          ))}
          {grid.map((r) => (
            <div key={r.imageId} className={`grid-row ${r.imageId === props.currentImage ? 'active' : ''}`} style={{ display: 'contents' }}>
              <div className="grid-name clickable" onClick={() => props.onOpenImage(r.imageId, null)} data-testid="eval-image-row" data-image-id={r.imageId}>
                <div className="ellipsis">{r.name}</div>
                <div className="muted small">{r.difficulty === null ? 'unclassified' : `class ${r.difficulty}`}</div>
              </div>
              <button className="grid-cell" onClick={() => props.onOpenImage(r.imageId, null)} title="open side by side">
                <img src={mediaUrl(`thumb/${r.imageId}`)} alt="" />
              </button>
              <button className="grid-cell" onClick={() => props.onOpenImage(r.imageId, null)} title="truth">
                <img src={mediaUrl(`thumb/${r.imageId}`)} alt="" />
                {r.truthMaskId !== null && <img className="overlay" src={mediaUrl(`mask/${r.truthMaskId}?style=overlay`)} alt="" />}
              </button>
              {t.sources.map((s, i) => (
                <button key={s} className="grid-cell" onClick={() => props.onOpenImage(r.imageId, i)} title={`open with ${s} as A`} data-testid="compare-grid-cell" data-image-id={r.imageId} data-source={s}>
                  <img src={mediaUrl(`thumb/${r.imageId}`)} alt="" />
                  {r.predMaskIds[i] !== null && <img className="overlay" src={mediaUrl(`mask/${r.predMaskIds[i]}?style=overlay`)} alt="" />}
                  <span className="grid-score">{num(r.values[i])}</span>
                </button>
              ))}
            </div>
          ))}
        </div>
      </section>
    </div>
  );
}
