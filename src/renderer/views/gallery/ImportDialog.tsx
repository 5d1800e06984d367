// Import a host folder: choose folder, optional masks folder, convention, recursion; then
// a progress bar from job events; then the import report.
import { useState } from 'react';
import type { MaskConvention } from '../../../shared/domain';
import { FolderBrowser, rememberFolder } from '../../components/FolderBrowser';
import { Modal } from '../../components/Modal';
import { ProgressBar } from '../../components/ProgressBar';
import { api, errorText } from '../../state/api';
import { jobFraction, noteJobStarted, useJob } from '../../state/jobs';
import { ImportReportView } from './ImportReportView';
import type { ImportReport } from '../../../shared/domain';

function isImportReport(v: unknown): v is ImportReport {
  return typeof v === 'object' && v !== null && 'imported' in v && 'skipped' in v;
}

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
  const [nothing, setNothing] = useState<string | null>(null);
  const job = useJob(jobId);

  const start = async (): Promise<void> => {
    setError(null);
    setNothing(null);
    // Check the folder first: a missing, unreadable or empty folder gets a clear answer
    // instead of a job that ends with an empty bar.
    try {
      const l = await api.call('fs.list', { path: folder });
      const here = l.images ?? l.entries.filter((e) => !e.dir && /\.(png|jpe?g|tiff?|bmp)$/i.test(e.name)).length;
      const below = l.entries.filter((e) => e.dir).reduce((n, e) => n + e.images, 0);
      if (here === 0 && (!recursive || below === 0)) {
        setNothing(below > 0 ? `No images found in ${l.path} itself; ${below} are in its sub-folders (tick "Include sub-folders").` : `No images found in ${l.path} (PNG, JPEG, TIFF or BMP).`);
        return;
      }
    } catch (e) {
      setError(`Cannot read the folder ${folder}: ${errorText(e)}`);
      return;
    }
    rememberFolder(folder);
    try {
      const { jobId: id } = await api.call('import.start', { folder, masksDir: useMasksDir && masksDir ? masksDir : undefined, convention, recursive });
      noteJobStarted(id, 'import', `Import ${folder}`);
      setJobId(id);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const running = job?.status === 'running';
  const report = isImportReport(job?.result) ? job.result : null;
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
                <option value="index">index (label values 0 / 1 / 2 / 3)</option>
                <option value="none">no masks</option>
              </select>
            </label>
            <label className="check">
              <input type="checkbox" checked={recursive} onChange={(e) => setRecursive(e.target.checked)} data-testid="import-recursive" />
              Include sub-folders
            </label>
          </div>
          {error && (
            <div className="banner error" data-testid="import-error">
              {error}
            </div>
          )}
          {nothing && (
            <div className="empty-state small" data-testid="import-empty">
              <strong>Nothing to import.</strong> {nothing}
            </div>
          )}
        </div>
      )}
      {jobId && (
        <div className="import-progress" data-testid="import-progress">
          {(!job || job.status === 'running') && (
            <ProgressBar value={job ? jobFraction(job) : null} label={job && job.total ? `${job.done} / ${job.total}` : `scanning ${folder}…`} testId="import-progress-bar" />
          )}
          {job?.status === 'done' && report && report.imported + report.duplicates === 0 && (
            <div className="empty-state small" data-testid="import-empty">
              <strong>No images found in {folder}.</strong>
              {report.skipped.length > 0 ? ` ${report.skipped.length} file${report.skipped.length === 1 ? ' was' : 's were'} skipped (see below).` : ' The folder holds no PNG, JPEG, TIFF or BMP files.'}
            </div>
          )}
          <p className="muted small">{job?.message}</p>
          {job?.status === 'failed' && <div className="banner error">Import failed: {job.error}</div>}
          {job?.status === 'cancelled' && <div className="banner">Import stopped. Images imported so far are kept.</div>}
          {job && job.status !== 'running' && job.result !== null && job.result !== undefined && <ImportReportView report={job.result} />}
        </div>
      )}
    </Modal>
  );
}
