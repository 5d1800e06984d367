// Import a host folder: choose folder, optional masks folder, convention, recursion; then
// a progress bar from job events; then the import report.
import { useState } from 'react';
import type { MaskConvention } from '../../../shared/domain';
import { FolderBrowser } from '../../components/FolderBrowser';
import { Modal } from '../../components/Modal';
import { ProgressBar } from '../../components/ProgressBar';
import { api, errorText } from '../../state/api';
import { jobFraction, noteJobStarted, useJob } from '../../state/jobs';
import { ImportReportView } from './ImportReportView';

type Convention = MaskConvention | 'auto' | 'none';

export function ImportDialog({ onClose, initialFolder }: { onClose: () => void; initialFolder?: string }) {
  const [folder, setFolder] = useState(initialFolder ?? '');
  const [useMasksDir, setUseMasksDir] = useState(false);
  const [masksDir, setMasksDir] = useState('');
  const [convention, setConvention] = useState<Convention>('auto');
  const [recursive, setRecursive] = useState(false);
  const [browsing, setBrowsing] = useState<'folder' | 'masks' | null>(initialFolder ? null : 'folder');
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const job = useJob(jobId);

  const start = async (): Promise<void> => {
    setError(null);
    try {
      const { jobId: id } = await api.call('import.start', { folder, masksDir: useMasksDir && masksDir ? masksDir : undefined, convention, recursive });
      noteJobStarted(id, 'import', `Import ${folder}`);
      setJobId(id);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const running = job?.status === 'running';
  const footer = !jobId ? (
    <>
      <button className="btn" onClick={onClose}>
        Cancel
      </button>
      <button className="btn primary" disabled={!folder} onClick={() => void start()} data-testid="import-start">
        Import
      </button>
    </>
  ) : (
    <>
      {running && (
        <button className="btn" onClick={() => jobId && void api.call('jobs.cancel', { jobId })} data-testid="import-cancel">
          Stop import
        </button>
      )}
      <button className="btn primary" onClick={onClose} data-testid="import-close">
        {running ? 'Continue in background' : 'Close'}
      </button>
    </>
  );

  return (
    <Modal title="Import images" onClose={onClose} footer={footer} wide testId="import-dialog">
      {!jobId && (
        <div className="form-grid">
          <label className="field">
            <span>Images folder</span>
            <div className="row">
              <input className="grow" value={folder} onChange={(e) => setFolder(e.target.value)} placeholder="/path/to/images" data-testid="import-folder" spellCheck={false} />
              <button className="btn small" onClick={() => setBrowsing(browsing === 'folder' ? null : 'folder')}>
                Browse…
              </button>
            </div>
          </label>
          {browsing === 'folder' && (
            <FolderBrowser
              start={folder || undefined}
              onPick={(p) => {
                setFolder(p);
                setBrowsing(null);
              }}
              testId="import-browser"
            />
          )}
          <label className="check">
            <input type="checkbox" checked={useMasksDir} onChange={(e) => setUseMasksDir(e.target.checked)} data-testid="import-use-masks-dir" />
            Masks are in a separate folder (otherwise masks next to the images are matched by file name)
          </label>
          {useMasksDir && (
            <label className="field">
              <span>Masks folder</span>
              <div className="row">
                <input className="grow" value={masksDir} onChange={(e) => setMasksDir(e.target.value)} data-testid="import-masks-dir" spellCheck={false} />
                <button className="btn small" onClick={() => setBrowsing(browsing === 'masks' ? null : 'masks')}>
                  Browse…
                </button>
              </div>
            </label>
          )}
          {browsing === 'masks' && (
            <FolderBrowser
              start={masksDir || folder || undefined}
              onPick={(p) => {
                setMasksDir(p);
                setBrowsing(null);
              }}
              testId="import-masks-browser"
            />
          )}
          <div className="row">
            <label className="field">
              <span>Mask convention</span>
              <select value={convention} onChange={(e) => setConvention(e.target.value as Convention)} data-testid="import-convention">
                <option value="auto">auto-detect</option>
                <option value="gray3">gray3 (0 / 128 / 255)</option>
                <option value="rgb">rgb (blue / green / red)</option>
                <option value="binary">binary (0 / non-zero)</option>
                <option value="none">no masks</option>
              </select>
            </label>
            <label className="check">
              <input type="checkbox" checked={recursive} onChange={(e) => setRecursive(e.target.checked)} data-testid="import-recursive" />
              Include sub-folders
            </label>
          </div>
          {error && <div className="banner error">{error}</div>}
        </div>
      )}
      {jobId && (
        <div className="import-progress" data-testid="import-progress">
          <ProgressBar value={job ? (job.status === 'done' ? 1 : jobFraction(job)) : null} label={job && job.total ? `${job.done} / ${job.total}` : 'starting…'} tone={job?.status === 'failed' ? 'error' : job?.status === 'done' ? 'ok' : 'normal'} testId="import-progress-bar" />
          <p className="muted small">{job?.message}</p>
          {job?.status === 'failed' && <div className="banner error">Import failed: {job.error}</div>}
          {job?.status === 'cancelled' && <div className="banner">Import stopped. Images imported so far are kept.</div>}
          {job && job.status !== 'running' && job.result !== null && job.result !== undefined && <ImportReportView report={job.result} />}
        </div>
      )}
    </Modal>
  );
}
