// Batch segmentation: a model version, the default model or the active contour, applied
// to the project (all / a split / images without ground truth) or to a host folder.
import { useMemo, useState } from 'react';
import type { JobInfo } from '../../../shared/api';
import { SPLITS, type Split } from '../../../shared/domain';
import type { SegmentRequest } from '../../../shared/ml';
import { jobResult } from '../../../shared/job-result';
import { FolderBrowser } from '../../components/FolderBrowser';
import { formatDuration, formatTime } from '../../components/format';
import { ProgressBar } from '../../components/ProgressBar';
import { api, errorText } from '../../state/api';
import { useAsync } from '../../state/async';
import { jobFraction, noteJobStarted, useJobs } from '../../state/jobs';
import { useProjectState } from '../../state/project';

type TargetKind = 'all' | Split | 'unlabeled' | 'import-folder' | 'folder';

function throughput(job: JobInfo): number | null {
  const end = job.finishedAt ? Date.parse(job.finishedAt) : Date.now();
  const secs = (end - Date.parse(job.startedAt)) / 1000;
  return secs > 0 && job.done > 0 ? job.done / secs : null;
}

function BatchJob({ job }: { job: JobInfo }) {
  const result = jobResult(job, 'segment');
  const ips = result?.imagesPerSecond ?? throughput(job);
  const remaining = ips && job.total > job.done ? (job.total - job.done) / ips : null;
  return (
    <div className="batch-job card" data-testid="batch-job" data-status={job.status}>
      <div className="row">
        <strong className="grow ellipsis">{job.title}</strong>
        <span className={`status-pill ${job.status}`}>{job.status}</span>
        {job.status === 'running' && (
          <button className="btn small danger" onClick={() => void api.call('jobs.cancel', { jobId: job.id })} data-testid="batch-cancel">
            Stop
          </button>
        )}
      </div>
      <ProgressBar value={job.status === 'done' ? 1 : jobFraction(job)} label={job.total ? `${job.done} / ${job.total} images` : undefined} tone={job.status === 'failed' ? 'error' : job.status === 'done' ? 'ok' : 'normal'} testId="batch-progress" />
      <div className="kv-row small">
        <span>
          <strong>{ips ? ips.toFixed(1) : '–'}</strong> images/s
        </span>
        {job.status === 'running' && (
          <span>
            remaining <strong>{formatDuration(remaining)}</strong>
          </span>
        )}
        <span>started {formatTime(job.startedAt)}</span>
        {result && (
          <span>
            segmented <strong data-testid="batch-segmented">{result.segmented}</strong>
            {result.backend ? ` on ${result.backend}` : ''}
          </span>
        )}
      </div>
      {job.error && <div className="banner error">{job.error}</div>}
      {result && result.failed.length > 0 && (
        <details open={result.failed.length < 10}>
          <summary>
            {result.failed.length} image{result.failed.length === 1 ? '' : 's'} failed
          </summary>
          <table className="table compact" data-testid="batch-errors">
            <tbody>
              {result.failed.map((f, i) => (
                <tr key={i}>
                  <td className="mono">{f.file}</td>
                  <td>{f.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}

export function BatchView() {
  const models = useAsync(() => api.call('models.list'), []);
  const { project } = useProjectState();
  const jobs = useJobs().filter((j) => j.kind === 'segment' || (j.kind === 'import' && j.title.startsWith('Import for segmentation')));
  const [model, setModel] = useState('default');
  const [target, setTarget] = useState<TargetKind>('unlabeled');
  const [folder, setFolder] = useState('');
  const [out, setOut] = useState('');
  const [convention, setConvention] = useState<'gray3' | 'rgb' | 'binary'>('gray3');
  const [threshold, setThreshold] = useState<number | null>(null);
  const [browsing, setBrowsing] = useState<'folder' | 'out' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const thr = threshold ?? project?.settings.threshold ?? 0.5;

  const modelOptions = useMemo(
    () => [
      { value: 'default', label: 'default model (newest registered, else the shipped one)' },
      { value: 'active-contour', label: 'active contour (classical baseline)' },
      ...(models.data ?? []).map((m) => ({ value: m.ref, label: `${m.ref} · ${m.task}` })),
    ],
    [models.data],
  );

  const segment = async (req: SegmentRequest): Promise<void> => {
    const { jobId } = await api.call('segment.start', req);
    noteJobStarted(jobId, 'segment', `Segmenting with ${req.model}`);
  };

  const start = async (): Promise<void> => {
    setError(null);
    setBusy(true);
    try {
      if (target === 'folder') {
        await segment({ model, threshold: thr, target: { kind: 'folder', folder, out, convention } });
      } else if (target === 'import-folder') {
        // Import first, then segment exactly the imported images.
        const { jobId } = await api.call('import.start', { folder, convention: 'auto' });
        noteJobStarted(jobId, 'import', `Import for segmentation: ${folder}`);
        const ids = await waitForImport(jobId);
        if (ids.length === 0) throw new Error('the folder added no new images (already imported, or none readable)');
        await segment({ model, threshold: thr, target: { kind: 'project', images: 'all', imageIds: ids } });
      } else {
        await segment({ model, threshold: thr, target: { kind: 'project', images: target } });
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const needsFolder = target === 'folder' || target === 'import-folder';
  const ready = !needsFolder || (folder && (target !== 'folder' || out));
  return (
    <div className="page" data-testid="batch-view">
      <div className="page-cols">
        <section className="card">
          <h2>Batch segmentation</h2>
          <label className="field">
            <span>Model</span>
            <select value={model} onChange={(e) => setModel(e.target.value)} data-testid="batch-model">
              {modelOptions.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Images</span>
            <select value={target} onChange={(e) => setTarget(e.target.value as TargetKind)} data-testid="batch-target">
              <option value="unlabeled">project: images without ground truth</option>
              <option value="all">project: all images</option>
              {SPLITS.map((s) => (
                <option key={s} value={s}>
                  project: {s} split
                </option>
              ))}
              <option value="import-folder">host folder: import, then segment</option>
              <option value="folder">host folder: write masks to an output folder</option>
            </select>
          </label>
          {needsFolder && (
            <label className="field">
              <span>Input folder</span>
              <div className="row">
                <input className="grow" value={folder} onChange={(e) => setFolder(e.target.value)} data-testid="batch-folder" spellCheck={false} />
                <button className="btn small" onClick={() => setBrowsing(browsing === 'folder' ? null : 'folder')}>
                  Browse…
                </button>
              </div>
            </label>
          )}
          {browsing === 'folder' && <FolderBrowser start={folder || undefined} onPick={(p) => (setFolder(p), setBrowsing(null))} testId="batch-folder-browser" />}
          {target === 'folder' && (
            <>
              <label className="field">
                <span>Output folder for masks</span>
                <div className="row">
                  <input className="grow" value={out} onChange={(e) => setOut(e.target.value)} data-testid="batch-out" spellCheck={false} />
                  <button className="btn small" onClick={() => setBrowsing(browsing === 'out' ? null : 'out')}>
                    Browse…
                  </button>
                </div>
              </label>
              {browsing === 'out' && <FolderBrowser start={out || folder || undefined} onPick={(p) => (setOut(p), setBrowsing(null))} testId="batch-out-browser" />}
              <label className="field">
                <span>Mask convention</span>
                <select value={convention} onChange={(e) => setConvention(e.target.value as 'gray3' | 'rgb' | 'binary')} data-testid="batch-convention">
                  <option value="gray3">gray3 (0 / 128 / 255)</option>
                  <option value="rgb">rgb</option>
                  <option value="binary">binary</option>
                </select>
              </label>
            </>
          )}
          <label className="field">
            <span>Probability threshold {thr.toFixed(2)}</span>
            <input type="range" min={0.05} max={0.95} step={0.05} value={thr} onChange={(e) => setThreshold(Number(e.target.value))} data-testid="batch-threshold" />
          </label>
          {error && <div className="banner error">{error}</div>}
          <div className="row end">
            <button className="btn primary" disabled={busy || !ready} onClick={() => void start()} data-testid="batch-start">
              Segment
            </button>
          </div>
          <p className="muted small">Results are stored as prediction versions (never over ground truth) and appear in the gallery as they are saved.</p>
        </section>
        <section className="batch-jobs">
          {jobs.length === 0 && (
            <div className="card">
              <h2>Runs</h2>
              <p className="muted">Segmentation runs of this session appear here with their progress, throughput and any per-image errors.</p>
            </div>
          )}
          {jobs.map((j) => (
            <BatchJob key={j.id} job={j} />
          ))}
        </section>
      </div>
    </div>
  );
}

/** Resolve with the imported image ids once the import job ends. */
function waitForImport(jobId: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (job: JobInfo): void => {
      if (settled || job.id !== jobId || job.status === 'running') return;
      settled = true;
      off();
      if (job.status !== 'done') reject(new Error(job.error ?? `import ${job.status}`));
      else resolve(jobResult(job, 'import')?.imageIds ?? []);
    };
    const off = api.onEvent((e) => {
      if (e.type === 'job') finish(e.job);
    });
    // The job may have ended before we subscribed.
    api.call('jobs.list').then((list) => list.forEach(finish), () => undefined);
  });
}
