// Main side of a folder import in a worker process: the web host and the desktop call this
// instead of importFolder, so decoding (and whatever a hostile file makes the decoder
// allocate) never happens in the process that serves the UI. Reuses the ML worker's process
// machinery (launcher, protocol, driveWorker); the CLI imports in-process.
import { driveWorker } from '../ml/worker/drive';
import { JobCancelledError } from '../jobs/job-manager';
import type { WorkerLauncher } from '../ml/worker/launcher';
import type { ImportJobOptions } from '../ml/worker/protocol';
import type { ImportReport } from '../../shared/domain';

export interface ImportInWorkerOptions {
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; file: string }) => void;
  launcher?: WorkerLauncher;
}

export async function importInWorker(projectPath: string, folder: string, options: ImportJobOptions, opts: ImportInWorkerOptions = {}): Promise<ImportReport> {
  const end = await driveWorker<ImportReport>(
    { type: 'import', project: projectPath, folder, options },
    (msg) => (msg.type === 'import-done' ? { value: msg.report } : null),
    {
      signal: opts.signal,
      launcher: opts.launcher,
      cancelGraceMs: 5_000,
      onMessage: (msg) => {
        if (msg.type === 'import-progress') opts.onProgress?.({ done: msg.done, total: msg.total, file: msg.file });
      },
    },
  );
  if (end.kind === 'result') return end.value;
  if (end.kind === 'cancelled') throw new JobCancelledError();
  if (end.kind === 'failed') throw new Error(end.message);
  throw new Error(`import failed: ${end.message.replace('the ML worker process', 'the import process')}`);
}
