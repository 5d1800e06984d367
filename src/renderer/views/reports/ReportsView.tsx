// Export the CNR report (CSV / PDF / HTML) for a mask source and a set of images.
import { useMemo, useState } from 'react';
import type { JobInfo } from '../../../shared/api';
import { jobResult } from '../../../shared/job-result';
import { SPLITS, type Split } from '../../../shared/domain';
import { FolderBrowser } from '../../components/FolderBrowser';
import { joinPath } from '../../components/format';
import { ProgressBar } from '../../components/ProgressBar';
import { api, errorText } from '../../state/api';
import { useAsync } from '../../state/async';
import { jobFraction, noteJobStarted, useJob } from '../../state/jobs';
import { useProjectState } from '../../state/project';
import { mediaUrl } from '../../state/media';

type Format = 'pdf' | 'html' | 'csv';

/** The file a finished report job wrote (the contract's ReportResult), else the requested path. */
function resultPath(job: JobInfo, fallback: string): string {
  return jobResult(job, 'report')?.file ?? fallback;
}

export function ReportsView() {
  const { project } = useProjectState();
  const sources = useAsync(() => api.call('masks.sources'), []);
  const [source, setSource] = useState('ground-truth');
  const [images, setImages] = useState<'all' | Split>('all');
  const [correctedOnly, setCorrectedOnly] = useState(false);
  const [format, setFormat] = useState<Format>('pdf');
  const [dir, setDir] = useState('');
  const [name, setName] = useState('');
  const [browsing, setBrowsing] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const job = useJob(jobId);

  const projectDir = project?.path.replace(/[\\/][^\\/]*$/, '') ?? '';
  const baseName = name || `${project?.name ?? 'hemaseg'}-cnr-${new Date().toISOString().slice(0, 10)}`;
  const out = joinPath(dir || projectDir, `${baseName.replace(/\.(pdf|html|csv)$/i, '')}.${format}`);

  const sourceOptions = useMemo(() => {
    const opts = [{ value: 'ground-truth', label: 'ground truth (corrected and imported)' }];
    const seen = new Set<string>();
    for (const s of sources.data ?? []) {
      if (s.kind === 'ground-truth' || seen.has(s.source)) continue;
      seen.add(s.source);
      opts.push({ value: s.source, label: `${s.source} (${s.kind}, ${s.images} images)` });
    }
    // Only sources with stored masks: a model without predictions has nothing to report.
    return opts;
  }, [sources.data]);

  const start = async (): Promise<void> => {
    setError(null);
    try {
      const r = await api.call('report.export', { out, source, images, correctedOnly });
      noteJobStarted(r.jobId, 'report', `Report ${out}`);
      setJobId(r.jobId);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div className="page" data-testid="reports-view">
      <div className="page-cols">
        <section className="card">
          <h2>CNR report</h2>
          <p className="muted small">Cytoplasm-to-nucleus ratio of the centred white cell of every image, with flags for partial cells, smudge cells and images without a WBC.</p>
          <label className="field">
            <span>Masks</span>
            <select value={source} onChange={(e) => setSource(e.target.value)} data-testid="report-source">
              {sourceOptions.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Images</span>
            <select value={images} onChange={(e) => setImages(e.target.value as 'all' | Split)} data-testid="report-images">
              <option value="all">all images</option>
              {SPLITS.map((s) => (
                <option key={s} value={s}>
                  {s} split
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input type="checkbox" checked={correctedOnly} onChange={(e) => setCorrectedOnly(e.target.checked)} data-testid="report-corrected-only" />
            Corrected masks only (predictions are flagged, not measured)
          </label>
          <label className="field">
            <span>Format</span>
            <div className="segmented">
              {(['pdf', 'html', 'csv'] as const).map((f) => (
                <button key={f} className={format === f ? 'active' : ''} onClick={() => setFormat(f)} data-testid={`report-format-${f}`}>
                  {f.toUpperCase()}
                </button>
              ))}
            </div>
          </label>
          <label className="field">
            <span>File name</span>
            <input value={name} placeholder={baseName} onChange={(e) => setName(e.target.value)} data-testid="report-name" />
          </label>
          <label className="field">
            <span>Folder (on the host)</span>
            <div className="row">
              <input className="grow" value={dir} placeholder={projectDir} onChange={(e) => setDir(e.target.value)} data-testid="report-dir" spellCheck={false} />
              <button className="btn small" onClick={() => setBrowsing(!browsing)}>
                Browse…
              </button>
            </div>
          </label>
          {browsing && <FolderBrowser start={dir || projectDir || undefined} onPick={(p) => (setDir(p), setBrowsing(false))} testId="report-browser" />}
          <p className="mono small ellipsis" title={out} data-testid="report-out">
            {out}
          </p>
          {error && <div className="banner error">{error}</div>}
          <div className="row end">
            <button className="btn primary" onClick={() => void start()} disabled={job?.status === 'running'} data-testid="report-export">
              Export report
            </button>
          </div>
        </section>
        <section className="card">
          <h2>Result</h2>
          {!job && <p className="muted">The written file's path appears here.</p>}
          {job && (
            <>
              <ProgressBar value={job.status === 'done' ? 1 : jobFraction(job)} tone={job.status === 'failed' ? 'error' : job.status === 'done' ? 'ok' : 'normal'} label={job.total ? `${job.done} / ${job.total}` : undefined} testId="report-progress" />
              <p className="muted small">{job.message}</p>
              {job.status === 'failed' && <div className="banner error">{job.error}</div>}
              {job.status === 'done' && (
                <div className="banner ok" data-testid="report-result">
                  Written to <span className="mono">{resultPath(job, out)}</span>
                  <div className="row">
                    {window.hemaseg?.openReport ? (
                      <button className="btn small" onClick={() => void window.hemaseg?.openReport?.(job.id)} data-testid="report-open">
                        Open the report
                      </button>
                    ) : (
                      <a className="btn small" href={mediaUrl(`report/${encodeURIComponent(job.id)}`)} target="_blank" rel="noreferrer" data-testid="report-open">
                        Open the report
                      </a>
                    )}
                  </div>
                </div>
              )}
            </>
          )}
        </section>
      </div>
    </div>
  );
}
