import type { ModelInfo } from '../../../shared/ml';
import { BACKEND_LABEL } from '../../../shared/domain';
import { formatTime } from '../../components/format';
import { lineageOrder } from '../../lib/curves';

function headline(metrics: Record<string, number>): string {
  const keys = Object.keys(metrics).filter((k) => /dice|iou/i.test(k)).slice(0, 3);
  return (keys.length ? keys : Object.keys(metrics).slice(0, 2)).map((k) => `${k} ${metrics[k].toFixed(3)}`).join(' · ') || '–';
}

/** Training time as the seeds' tables give it: seconds under 2 min, else minutes. */
function trainingTime(s: number): string {
  return s < 120 ? `${s.toFixed(0)} s` : `${(s / 60).toFixed(1)} min`;
}

export function ModelRegistry({ models, defaultRef = null, onMakeDefault }: { models: ModelInfo[]; defaultRef?: string | null; onMakeDefault?: (ref: string | null) => void }) {
  const rows = lineageOrder(models);
  return (
    <section className="card">
      <h2>Model registry</h2>
      {rows.length === 0 ? (
        <p className="muted">No trained models yet. The default model ships with the application.</p>
      ) : (
        <table className="table" data-testid="model-registry">
          <thead>
            <tr>
              <th>Version</th>
              <th>Task</th>
              <th>Architecture</th>
              <th className="num">Images</th>
              <th>Validation</th>
              <th className="num">Training</th>
              <th>Backend</th>
              <th>Created</th>
              <th>Default</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ model: m, depth }) => (
              <tr key={m.ref} data-testid="model-row" data-ref={m.ref}>
                <td>
                  <span style={{ paddingLeft: depth * 16 }} className="mono">
                    {depth > 0 ? '└ ' : ''}
                    {m.ref}
                  </span>
                  {m.parentRef && <div className="muted small">fine-tuned from {m.parentRef}</div>}
                </td>
                <td>{m.task}</td>
                <td className="small">
                  {m.family} · {m.arch}
                  {m.paramCount !== null && <div className="muted" data-testid="model-params">{m.paramCount.toLocaleString()} parameters</div>}
                </td>
                <td className="num">{m.trainImages}</td>
                <td className="small">{headline(m.metrics)}</td>
                <td className="num" data-testid="model-training-time">{m.trainingSeconds != null ? trainingTime(m.trainingSeconds) : '–'}</td>
                <td>{m.backend ? BACKEND_LABEL[m.backend] : '–'}</td>
                <td className="small">{formatTime(m.createdAt)}</td>
                <td>
                  {m.ref === defaultRef ? (
                    <span className="badge" data-testid="model-default-badge" title="--model default means this version in this project">
                      default{' '}
                      {onMakeDefault && (
                        <button className="btn small" type="button" onClick={() => onMakeDefault(null)} title="Go back to the shipped default model" data-testid="model-unset-default">
                          ×
                        </button>
                      )}
                    </span>
                  ) : (
                    onMakeDefault && m.name !== 'default' && (
                      <button className="btn small" type="button" onClick={() => onMakeDefault(m.ref)} data-testid="model-make-default">
                        Make default
                      </button>
                    )
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
