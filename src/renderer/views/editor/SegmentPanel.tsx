// "Segment this image" in the editor: run a model version, the default model or the active
// contour on the image at hand (segment.start with imageIds). The result is stored as a
// prediction / baseline version, never as ground truth, and offered as an overlay to edit
// from, accept or discard.
import { useEffect, useRef, useState } from 'react';
import { DEFAULT_SETTINGS, SOURCE, type MaskVersionInfo } from '../../../shared/domain';
import { ProgressBar } from '../../components/ProgressBar';
import { api, errorText } from '../../state/api';
import { useAsync } from '../../state/async';
import { jobFraction, noteJobStarted, useJob } from '../../state/jobs';
import { useProjectState } from '../../state/project';

export function SegmentPanel(props: { imageId: number; runToken: number; onResult: (v: MaskVersionInfo) => void; onMessage: (m: string) => void }) {
  const models = useAsync(() => api.call('models.list'), []);
  const { project } = useProjectState();
  const [model, setModel] = useState('default');
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const job = useJob(jobId);
  const running = job?.status === 'running';
  const { imageId, onResult, onMessage } = props;

  useEffect(() => {
    if (!job || job.status === 'running') return;
    setJobId(null);
    if (job.status !== 'done') {
      setError(job.error ?? `segmentation ${job.status}`);
      return;
    }
    api.call('masks.versions', { imageId }).then(
      (vs) => {
        const newest = vs.filter((v) => v.kind !== 'ground-truth').sort((a, b) => b.id - a.id)[0];
        if (newest) onResult(newest);
        else onMessage('The segmentation produced no mask for this image.');
      },
      (e: unknown) => setError(errorText(e)),
    );
  }, [job, imageId, onResult, onMessage]);

  const start = async (): Promise<void> => {
    if (running) return;
    setError(null);
    try {
      const threshold = project?.settings.threshold ?? DEFAULT_SETTINGS.threshold;
      const { jobId: id } = await api.call('segment.start', { model, threshold, target: { kind: 'project', images: 'all', imageIds: [imageId] } });
      noteJobStarted(id, 'segment', `Segment image ${imageId} with ${model}`);
      setJobId(id);
    } catch (e) {
      setError(errorText(e));
    }
  };

  // The keyboard action (Shift+S) asks for a run by bumping the token.
  const startRef = useRef(start);
  startRef.current = start;
  useEffect(() => {
    if (props.runToken > 0) void startRef.current();
  }, [props.runToken]);

  return (
    <div className="segment-panel" data-testid="segment-panel">
      <div className="row">
        <select value={model} onChange={(e) => setModel(e.target.value)} data-testid="segment-model" aria-label="Model" className="grow">
          <option value="default">default model</option>
          <option value={SOURCE.activeContour}>active contour (baseline)</option>
          {(models.data ?? []).map((m) => (
            <option key={m.ref} value={m.ref}>
              {m.ref}
            </option>
          ))}
        </select>
        <button className="btn small primary" onClick={() => void start()} disabled={running} data-testid="segment-run" title="Segment this image (Shift+S)">
          {running ? 'Segmenting…' : 'Segment'}
        </button>
      </div>
      {running && job && <ProgressBar value={jobFraction(job)} label={job.message ?? 'segmenting…'} testId="segment-progress" />}
      {error && <div className="error-text" data-testid="segment-error">{error}</div>}
      {!running && !error && <p className="muted small">The result is stored as a prediction and shown as an overlay; it becomes ground truth only when you accept it.</p>}
    </div>
  );
}
