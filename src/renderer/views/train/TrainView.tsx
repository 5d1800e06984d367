// Training: form, the live run (or a past run's curves), the model registry and the runs.
import { useState } from 'react';
import type { TrainRequest, TrainingRunInfo } from '../../../shared/ml';
import { api, errorText } from '../../state/api';
import { useAsync } from '../../state/async';
import { useApiEvent } from '../../state/events';
import { noteJobStarted, useJob, useJobs } from '../../state/jobs';
import { useProjectState } from '../../state/project';
import { useTrainPoints } from '../../state/training';
import { ModelRegistry } from './ModelRegistry';
import { RunMonitor } from './RunMonitor';
import { RunsTable } from './RunsTable';
import { TrainForm } from './TrainForm';
import { FineTuneCard } from './FineTuneCard';

export function TrainView() {
  const models = useAsync(() => api.call('models.list'), []);
  const families = useAsync(() => api.call('models.families'), []);
  const runs = useAsync(() => api.call('train.runs'), []);
  const plan = useAsync(() => api.call('train.plan', { images: 'corrected' }), []);
  const settings = useAsync(() => api.call('settings.get'), []);
  const { app } = useProjectState();
  const jobs = useJobs();
  const [startedId, setStartedId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shownRun, setShownRun] = useState<TrainingRunInfo | null>(null);
  // The run to monitor: the one started here, else any running training job.
  const jobId = startedId ?? jobs.find((j) => j.kind === 'train' && j.status === 'running')?.id ?? null;
  const job = useJob(jobId);
  const points = useTrainPoints(jobId);

  useApiEvent((e) => {
    if (e.type === 'job' && e.job.kind === 'train' && e.job.status !== 'running') {
      models.reload();
      runs.reload();
      plan.reload();
    }
    if (e.type === 'images-changed') plan.reload();
  });

  const makeDefault = async (ref: string | null): Promise<void> => {
    setError(null);
    try {
      await api.call('models.setDefault', { ref });
      settings.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };

  const start = async (req: TrainRequest): Promise<void> => {
    setError(null);
    try {
      const { jobId: id } = await api.call('train.start', req);
      noteJobStarted(id, 'train', `Training ${req.name}`);
      setStartedId(id);
      setShownRun(null);
      runs.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };

  const resume = async (r: TrainingRunInfo): Promise<void> => {
    setError(null);
    try {
      const { jobId: id } = await api.call('train.resume', { runId: r.id });
      noteJobStarted(id, 'train', `Resuming run ${r.id}`);
      setStartedId(id);
      setShownRun(null);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const running = job?.status === 'running';
  return (
    <div className="page train-view" data-testid="train-view">
      <div className="page-cols">
        <TrainForm models={models.data ?? []} families={families.data ?? []} busy={running} error={error} onStart={(r) => void start(r)} />
        {shownRun ? (
          <RunMonitor title={`Run ${shownRun.id}: ${shownRun.modelName} (${shownRun.status})`} points={shownRun.curves} job={null} backend={shownRun.backend} />
        ) : jobId ? (
          <RunMonitor title={job?.title ?? 'Training'} points={points} job={job} backend={app?.backend ?? null} onCancel={() => void api.call('jobs.cancel', { jobId })} />
        ) : (
          <section className="card run-monitor empty">
            <h2>Live curves</h2>
            <p className="muted">Start a run to follow its training and validation loss and the validation Dice per class here. Click a past run below to see its curves.</p>
          </section>
        )}
      </div>
      {models.error && <div className="banner error">{models.error}</div>}
      <FineTuneCard
        plan={plan.data}
        models={models.data ?? []}
        defaultRef={settings.data?.defaultModel ?? null}
        busy={running}
        onStart={(r) => void start(r)}
        onMakeDefault={(ref) => void makeDefault(ref)}
      />
      <ModelRegistry models={models.data ?? []} defaultRef={settings.data?.defaultModel ?? null} onMakeDefault={(ref) => void makeDefault(ref)} />
      <RunsTable runs={runs.data ?? []} shownId={shownRun?.id ?? null} onShow={(r) => setShownRun(shownRun?.id === r.id ? null : r)} onResume={(r) => void resume(r)} />
    </div>
  );
}
