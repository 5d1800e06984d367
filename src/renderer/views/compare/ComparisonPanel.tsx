// The N-way comparison in the Compare view: pick any number of sources and a split, run it
// (compare.run: one image set for all, stored), or reopen a stored one (runs and
// experiments alike, compare.list / compare.get). Replaces "Evaluate A and B now", which
// put two evaluations over different image sets side by side.
import { useEffect, useState } from 'react';
import type { SourceInfo } from '../../../shared/api';
import type { ComparisonRun } from '../../../shared/core/comparison';
import { SPLITS, type Split } from '../../../shared/domain';
import { formatTime } from '../../components/format';
import { api, errorText } from '../../state/api';
import { useAsync } from '../../state/async';
import { currentProject, onProjectChange } from '../../state/project';
import { createStore, useStore } from '../../state/store';
import { ComparisonTables } from './ComparisonTables';
import { evalName, sourceLabel, type SourceRef } from './sources';
import './compare.css';

interface ComparisonState {
  /** Sources ticked (evaluation names); null: follow the panels' A and B. */
  checked: string[] | null;
  split: Split | 'all' | null;
  metric: string;
  run: ComparisonRun | null;
}

const INITIAL: ComparisonState = { checked: null, split: null, metric: 'iou.cell', run: null };
const state = createStore<ComparisonState>(INITIAL);
onProjectChange(() => state.set(INITIAL));

const METRICS = ['iou.cell', 'iou_b.cell', 'dice.cell', 'iou.nucleus', 'dice.nucleus', 'iou.cytoplasm', 'dice.cytoplasm', 'accuracy'];

/** Sources a comparison can take: every prediction and baseline source, by the name evaluations use. */
function candidates(sources: readonly SourceInfo[]): { name: string; images: number }[] {
  const out = new Map<string, number>();
  for (const s of sources) if (s.kind !== 'ground-truth') out.set(evalName({ kind: s.kind, source: s.source }), s.images);
  return [...out.entries()].map(([name, images]) => ({ name, images }));
}

export function ComparisonPanel(props: {
  sources: readonly SourceInfo[];
  truth: SourceRef;
  a: SourceRef | null;
  b: SourceRef | null;
  currentImage: number | null;
  onOpenImage: (imageId: number, source: string | null) => void;
}) {
  const s = useStore(state);
  const set = (patch: Partial<ComparisonState>): void => state.set((v) => ({ ...v, ...patch }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const stored = useAsync(() => api.call('compare.list'), [tick]);
  const options = candidates(props.sources);
  const follow = [props.a, props.b].filter((r): r is SourceRef => r !== null && r.kind !== 'ground-truth').map(evalName);
  const checked = (s.checked ?? follow).filter((n) => options.some((o) => o.name === n));
  // The seeds compare on the test split; a project without test images starts on all.
  const split = s.split ?? ((currentProject()?.counts.bySplit.test ?? 0) > 0 ? 'test' : 'all');

  useEffect(() => setError(null), [s.run]);

  const toggle = (name: string, on: boolean): void => {
    const next = on ? [...checked, name] : checked.filter((n) => n !== name);
    // Keep the list's order, not the clicking order: columns stay where users expect them.
    set({ checked: options.map((o) => o.name).filter((n) => next.includes(n)) });
  };

  const run = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.call('compare.run', { sources: checked, truth: evalName(props.truth), split, metric: s.metric, worst: [10, 30, 50] });
      set({ run: r });
      setTick((t) => t + 1);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const open = async (id: number): Promise<void> => {
    setError(null);
    try {
      const r = await api.call('compare.get', { id });
      // The controls show what the stored comparison used, so Compare re-runs exactly it.
      const split = r.comparison.settings.split;
      set({
        run: r, checked: r.comparison.sources.map((x) => x.label), metric: r.comparison.settings.metric,
        split: split === 'all' || (SPLITS as readonly string[]).includes(split) ? (split as Split | 'all') : null,
      });
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <section className="card" data-testid="compare-comparison">
      <div className="row wrap">
        <h2 className="grow">Comparison</h2>
        <label className="inline">
          Split
          <select value={split} onChange={(e) => set({ split: e.target.value as Split | 'all' })} data-testid="compare-split">
            {[...SPLITS, 'all' as const].map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          Metric
          <select value={s.metric} onChange={(e) => set({ metric: e.target.value })} data-testid="compare-metric">
            {METRICS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <button className="btn primary" disabled={busy || checked.length === 0} onClick={() => void run()} data-testid="compare-run-eval">
          {busy ? 'Comparing…' : `Compare ${checked.length} source${checked.length === 1 ? '' : 's'} against ${sourceLabel(props.truth)}`}
        </button>
      </div>
      <div className="comparison-sources" data-testid="compare-sources">
        {options.length === 0 && <span className="muted">No predictions or baseline masks yet: segment images first (Batch).</span>}
        {options.map((o) => (
          <label key={o.name} className="inline check">
            <input type="checkbox" checked={checked.includes(o.name)} onChange={(e) => toggle(o.name, e.target.checked)} data-testid="compare-source-check" data-source={o.name} />
            {o.name} <span className="muted small">({o.images})</span>
          </label>
        ))}
      </div>
      <p className="muted small">
        Every source is scored on the same images: those of the split with a {sourceLabel(props.truth)} mask and a mask of every ticked source. What each source
        dropped is listed with the result.
      </p>
      {error && (
        <div className="banner error" data-testid="compare-error">
          {error}
        </div>
      )}
      {stored.data && stored.data.length > 0 && (
        <details className="comparison-stored" open={!s.run} data-testid="compare-stored">
          <summary>Stored comparisons ({stored.data.length})</summary>
          <div className="scroll-table">
            <table className="table compact">
              <thead>
                <tr>
                  <th className="num">#</th>
                  <th>Created</th>
                  <th>Label</th>
                  <th>Sources</th>
                  <th>Split</th>
                  <th className="num">Images</th>
                </tr>
              </thead>
              <tbody>
                {stored.data.map((c) => (
                  <tr key={c.id} className={`clickable ${s.run?.comparison.id === c.id ? 'active' : ''}`} onClick={() => void open(c.id)} data-testid="compare-stored-row" data-id={c.id}>
                    <td className="num">{c.id}</td>
                    <td className="small">{formatTime(c.createdAt)}</td>
                    <td>{c.label ?? '–'}</td>
                    <td className="small">{c.sources.join(', ')}</td>
                    <td>{c.split}</td>
                    <td className="num">{c.images}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
      {s.run ? (
        <ComparisonTables
          run={s.run}
          currentImage={props.currentImage}
          onOpenImage={(id, k) => props.onOpenImage(id, k === null ? null : (s.run?.comparison.sources[k]?.label ?? null))}
        />
      ) : (
        <p className="muted" data-testid="eval-empty">
          Tick the sources to compare and press Compare, or open a stored comparison.
        </p>
      )}
    </section>
  );
}
