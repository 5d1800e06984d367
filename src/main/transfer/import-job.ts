// Worker side of a folder import: runs in the worker process (src/main/ml/worker/entry.ts),
// opens its own connection to the project and streams progress. Decoding happens here, so
// a file that slips past the header checks costs this process only, never the UI's host.
import { Project } from '../project/project';
import type { FromWorker, ToWorker } from '../ml/worker/protocol';
import type { ImportReport } from '../../shared/domain';
import { importFolder, type ImportOptions } from './import-folder';
import { importSequenceFolder } from './import-sequence';

export interface ImportJobIo {
  send(msg: FromWorker): void;
  cancelled(): boolean;
}

export async function runImportJob(msg: Extract<ToWorker, { type: 'import' }>, io: ImportJobIo): Promise<ImportReport> {
  const project = Project.open(msg.project);
  const abort = new AbortController();
  const poll = setInterval(() => {
    if (io.cancelled()) abort.abort();
  }, 100);
  try {
    const options: ImportOptions = {
      masksDir: msg.options.masksDir,
      maskConvention: msg.options.maskConvention,
      recursive: msg.options.recursive,
      maxMegapixels: msg.options.maxMegapixels,
      author: msg.options.author,
      signal: abort.signal,
      onProgress: (p) => io.send({ type: 'import-progress', done: p.done, total: p.total, file: p.file }),
    };
    const seq = msg.options.asSequence;
    return await (seq ? importSequenceFolder(project, msg.folder, seq, options) : importFolder(project, msg.folder, options));
  } finally {
    clearInterval(poll);
    project.close();
  }
}
