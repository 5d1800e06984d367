import type { HandlerGroup } from '../handler-types';
import { listFolder, startFolder } from '../folder-listing';
import { appVersion } from '../../app-version';
import { expectedBackend } from '../../ml/expected-backend';
import { expectedInferenceEngine } from '../../ml/onnx/expected-engine';
import { backupProject } from '../../project/backup-project';

export const projectHandlers: HandlerGroup<'app.info' | 'project.current' | 'project.open' | 'project.recent' | 'project.backup' | 'fs.list' | 'settings.get' | 'settings.set' | 'jobs.list' | 'jobs.cancel'> = {
  'app.info': (_req, ctx) => ({
    version: appVersion(),
    shell: ctx.shell,
    backend: ctx.backend?.backend ?? expectedBackend(),
    backendDetail: ctx.backend?.detail ?? null,
    inferenceEngine: expectedInferenceEngine().engine,
    inferenceEngineDetail: expectedInferenceEngine().detail,
  }),
  'project.current': (_req, ctx) => ctx.info(),
  'project.open': (req, ctx) => {
    ctx.open(req.path, req.create ?? false);
    return ctx.info()!;
  },
  'project.recent': (_req, ctx) => ctx.recent(),
  'project.backup': (req, ctx) => backupProject(ctx.requireProject(), req.out),
  // Starts at the folder last used with the project (fs.remember, import.start) when no path is given.
  'fs.list': (req, ctx) => listFolder(startFolder(req.path, ctx.current?.settings.get().lastFolder)),
  'settings.get': (_req, ctx) => ctx.requireProject().settings.get(),
  'settings.set': (req, ctx) => ctx.requireProject().settings.set(req),
  // The current project's jobs only: another project's runs do not belong in its Batch view.
  'jobs.list': (_req, ctx) => ctx.jobs.list(ctx.current?.path ?? null),
  'jobs.cancel': (req, ctx) => ({ cancelled: ctx.jobs.cancel(req.jobId) }),
};
