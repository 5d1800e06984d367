import type { TrainingRunInfo } from '../../../shared/ml';
import { BACKEND_LABEL } from '../../../shared/domain';
import { formatTime } from '../../components/format';

export function canResume(r: TrainingRunInfo): boolean {
  return r.status === 'interrupted' || ((r.status === 'failed' || r.status === 'cancelled') && r.checkpointEpoch !== null);
}

export function RunsTable(props: { runs: TrainingRunInfo[]; shownId: number | null; onShow: (r: TrainingRunInfo) => void; onResume: (r: TrainingRunInfo) => void }) {
  return (
    <section className="card">
      <h2>Training runs</h2>
      {props.runs.length === 0 ? (
        <p className="muted">No runs yet.</p>
      ) : (
        <table className="table" data-testid="train-runs">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>Model</th>
              <th>Status</th>
              <th>Backend</th>
              <th>Started</th>
              <th>Result</th>
              <th className="num">Checkpoint</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {props.runs.map((r) => (
              <tr key={r.id} className={`clickable ${props.shownId === r.id ? 'active' : ''}`} onClick={() => props.onShow(r)} data-testid="train-run-row" data-status={r.status}>
                <td className="num">{r.id}</td>
                <td>{r.modelName}</td>
                <td>
                  <span className={`status-pill ${r.status}`}>{r.status}</span>
                  {r.error && <div className="small error-text ellipsis" title={r.error}>{r.error}</div>}
                </td>
                <td>{r.backend ? BACKEND_LABEL[r.backend] : '–'}</td>
                <td className="small">{formatTime(r.startedAt)}</td>
                <td className="mono">{r.resultRef ?? '–'}</td>
                <td className="num">{r.checkpointEpoch ?? '–'}</td>
                <td>
                  {canResume(r) && (
                    <button
                      className="btn small"
                      onClick={(e) => {
                        e.stopPropagation();
                        props.onResume(r);
                      }}
                      data-testid="train-resume"
                    >
                      Resume
                    </button>
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
