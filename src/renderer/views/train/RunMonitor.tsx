// Live view of one training run: progress, ETA, throughput, backend, curves, cancel.
import { useMemo } from 'react';
import type { JobInfo } from '../../../shared/api';
import { jobResult } from '../../../shared/job-result';
import type { Backend } from '../../../shared/domain';
import { BACKEND_LABEL } from '../../../shared/domain';
import type { TrainPoint } from '../../../shared/ml';
import { LineChart, SERIES_COLORS, type LineSeries } from '../../components/Charts';
import { formatDuration, num } from '../../components/format';
import { ProgressBar } from '../../components/ProgressBar';
import { budgetLabel, runProgress, toSeries } from '../../lib/curves';

const DICE_COLORS: Record<string, string> = { cell: '#627084', cytoplasm: '#1f8a4c', nucleus: '#d9822b', edge: '#0f9bb5' };

// The finished run's result, typed by the contract (TrainResult).
const resultRef = (job: JobInfo | null): string | null => jobResult(job, 'train')?.modelRef ?? null;
const stoppedBy = (job: JobInfo | null): string | null => jobResult(job, 'train')?.stoppedBy ?? null;

export function RunMonitor(props: { title: string; points: TrainPoint[]; job: JobInfo | null; backend: Backend | null; onCancel?: () => void }) {
  const series = useMemo(() => toSeries(props.points), [props.points]);
  const progress = useMemo(() => runProgress(props.points), [props.points]);
  const lossSeries: LineSeries[] = useMemo(
    () => [
      { label: 'training loss (per step)', data: series.stepLoss, color: '#9db4e8', thin: true },
      { label: 'training loss (epoch)', data: series.epochLoss, color: SERIES_COLORS[0], points: true },
      { label: 'validation loss', data: series.valLoss, color: SERIES_COLORS[1], points: true },
    ],
    [series],
  );
  const diceSeries: LineSeries[] = useMemo(
    () => Object.entries(series.dice).map(([cls, data], i) => ({ label: `Dice ${cls}`, data, color: DICE_COLORS[cls] ?? SERIES_COLORS[i % SERIES_COLORS.length], points: true })),
    [series],
  );
  const job = props.job;
  const running = job?.status === 'running';
  // Finished runs are at 100 %, whatever stopped them (epochs, time budget, early stop).
  const finished = job?.status === 'done' || progress.final;
  const fraction = finished ? 1 : (progress.fraction ?? (job && job.total > 0 ? job.done / job.total : null));
  const budget = budgetLabel(progress, finished);
  const barLabel = fraction !== null ? `${budget ? `${budget} · ` : ''}${Math.round(fraction * 100)} %` : (budget ?? undefined);
  return (
    <section className="card run-monitor" data-testid="run-monitor">
      <div className="row">
        <h2 className="grow ellipsis">{props.title}</h2>
        {job && <span className={`status-pill ${job.status}`} data-testid="run-status">{job.status}</span>}
        {running && props.onCancel && (
          <button className="btn danger small" onClick={props.onCancel} data-testid="train-cancel">
            Cancel
          </button>
        )}
      </div>
      {job && <ProgressBar value={fraction} tone={job.status === 'failed' ? 'error' : job.status === 'done' ? 'ok' : 'normal'} label={barLabel} testId="train-progress" />}
      <div className="kv-row">
        <span data-testid="train-epoch">
          {progress.epochsDone ? (
            <>
              epoch <strong>{progress.epochsDone}</strong>
              {progress.epochs ? ` / ${progress.epochs}` : ''}
            </>
          ) : props.points.length ? (
            running ? 'first epoch running' : 'no epoch completed'
          ) : (
            'epoch –'
          )}
        </span>
        <span>
          ETA <strong data-testid="train-eta">{running ? formatDuration(progress.etaSeconds) : '–'}</strong>
        </span>
        <span>
          <strong data-testid="train-ips">{progress.imagesPerSecond ? progress.imagesPerSecond.toFixed(1) : '–'}</strong> images/s
        </span>
        <span>
          loss <strong>{num(progress.lastLoss, 4)}</strong> · val <strong>{num(progress.lastValLoss, 4)}</strong>
        </span>
        <span>
          backend <strong data-testid="train-backend">{props.backend ? BACKEND_LABEL[props.backend] : '–'}</strong>
        </span>
      </div>
      {job?.message && <p className="muted small">{job.message}</p>}
      {job?.status === 'failed' && <div className="banner error">{job.error}</div>}
      {job?.status === 'done' && resultRef(job) && (
        <div className="banner ok" data-testid="train-result">
          Registered <strong className="mono">{resultRef(job)}</strong>
          {stoppedBy(job) ? ` (stopped by ${stoppedBy(job)})` : ''}
        </div>
      )}
      <div className="chart-pair">
        <LineChart series={lossSeries} xLabel="epoch" yLabel="loss" xMin={0} testId="chart-loss" />
        <LineChart series={diceSeries} xLabel="epoch" yLabel="validation Dice" xMin={0} yMin={0} yMax={1} testId="chart-dice" />
      </div>
      {props.points.length === 0 && <p className="muted small">Curves appear after the first training step.</p>}
    </section>
  );
}
