import type { AppInfo, ProjectInfo } from '../../shared/api';
import { BACKEND_LABEL } from '../../shared/domain';
import { jobFraction, useJobs } from '../state/jobs';
import { ProgressBar } from './ProgressBar';

export function StatusBar({ project, app }: { project: ProjectInfo | null; app: AppInfo | null }) {
  const running = useJobs().filter((j) => j.status === 'running');
  const backend = app?.backend ? BACKEND_LABEL[app.backend] : null;
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className="status-item ellipsis" data-testid="status-project" title={project?.path}>
        {project ? project.path : 'No project open'}
      </span>
      {project && (
        <span className="status-item muted" data-testid="status-counts">
          {project.counts.images} images · {project.counts.imagesWithMaskKind['ground-truth']} with ground truth
        </span>
      )}
      <span className="status-spacer" />
      {running.map((j) => (
        <span key={j.id} className="status-job" data-testid={`status-job-${j.kind}`} title={j.message ?? j.title}>
          <span className="ellipsis">{j.title}</span>
          <ProgressBar value={jobFraction(j)} label={j.total > 0 ? `${j.done}/${j.total}` : undefined} />
        </span>
      ))}
      <span className={`status-item backend ${app?.backend ?? 'none'}`} data-testid="status-backend" title={app?.backendDetail ?? 'The ML engine starts on first use'}>
        {backend ?? 'engine idle'}
      </span>
      {app?.inferenceEngine && (
        <span className="status-item muted" data-testid="status-inference-engine" title={app.inferenceEngineDetail ?? undefined}>
          segmentation: {app.inferenceEngine}
        </span>
      )}
      {app && (
        <span className="status-item muted">
          {app.shell === 'web' ? 'browser' : 'desktop'} · v{app.version}
        </span>
      )}
    </footer>
  );
}
