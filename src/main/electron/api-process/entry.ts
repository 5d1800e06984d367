// The API utility process (out/main/api.js): owns the project file, jobs, evaluation,
// reports, media and snap, so nothing heavy runs in the process that owns the window.
// Started by the desktop shell with utilityProcess.fork; talks over process.parentPort.
// ML jobs fork their worker from here (Node child_process with ELECTRON_RUN_AS_NODE).
import { AppContext } from '../../api/app-context';
import { ApiService } from '../../api/api-service';
import { ensureSampleProject } from '../../sample/sample-project';
import { parentChannel, serveApi } from './api-server';

const ctx = new AppContext('electron');
const service = new ApiService(ctx);
const projectArg = process.argv.slice(2).find((a) => a.endsWith('.hemaseg')) ?? null;

serveApi(parentChannel(), service, {
  init: async () => {
    try {
      const path = projectArg ?? (await ensureSampleProject()).path;
      return { project: ctx.open(path).path, error: null };
    } catch (err) {
      // The window then shows the project picker with this reason.
      return { project: null, error: (err as Error).message };
    }
  },
});

// The parent going away (Node IPC) ends this process; a utility process dies with its parent.
process.on('disconnect', () => {
  ctx.close();
  process.exit(0);
});
