// The desktop shell: windows, menu, native dialogs, and a relay of the API contract between
// the renderer (IPC) and the API utility process. The project, jobs, evaluation, reports,
// media and snap all run in that utility process (api-process/entry.ts), so nothing heavy
// runs where the window lives; the ML worker is forked from there in turn.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell, utilityProcess } from 'electron';
import { join } from 'node:path';
import type { JobInfo } from '../../shared/api';
import { jobResult } from '../../shared/job-result';
import { CSP } from '../server/csp';
import { ApiRelay } from './api-process/api-relay';
import { utilityProcessPort } from './api-process/ports';
import { resolveApiScript } from './api-process/api-script';

protocol.registerSchemesAsPrivileged([{ scheme: 'hemaseg-media', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let relay: ApiRelay | null = null;
let quitting = false;
let lastProject: string | null = null;
let restarts = 0;

/** Start the API process on `project` (null: the sample project); restart it if it dies unexpectedly. */
function startApi(project: string | null): ApiRelay {
  const script = resolveApiScript();
  const child = utilityProcess.fork(script.entry, project ? [project] : [], {
    serviceName: 'HemaSeg API',
    stdio: 'pipe',
    execArgv: script.execArgv,
    env: { ...process.env },
  });
  const next = new ApiRelay(utilityProcessPort(child));
  next.onEvent((e) => {
    if (e.type === 'project-changed') lastProject = e.path;
    for (const win of BrowserWindow.getAllWindows()) if (!win.isDestroyed()) win.webContents.send('hemaseg:event', e);
  });
  void next.ready.then((r) => {
    if (r.project) lastProject = r.project;
  });
  child.on('exit', (code) => {
    if (quitting || relay !== next) return;
    // A crash costs the calls in flight (they get an error), not the window: start again on
    // the same project, a few times at most.
    if (restarts++ < 3) {
      relay = startApi(lastProject);
      void relay.ready.then(() => BrowserWindow.getAllWindows().forEach((w) => w.webContents.reload()));
    } else {
      dialog.showErrorBox('HemaSeg', `The HemaSeg API process stopped (exit code ${code}) and could not be restarted.`);
    }
  });
  return next;
}

function api(): ApiRelay {
  if (!relay) throw new Error('the HemaSeg API process is not running');
  return relay;
}

async function createWindow(): Promise<void> {
  const win = new BrowserWindow({
    width: 1440,
    height: 920,
    title: 'HemaSeg',
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
    },
  });
  if (process.env.ELECTRON_RENDERER_URL) await win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else await win.loadFile(join(__dirname, '../renderer/index.html'));
}

async function openProject(path: string, create: boolean): Promise<void> {
  const r = await api().call('project.open', { path, create });
  if (!r.ok) dialog.showErrorBox('HemaSeg', r.error.message);
}

function buildMenu(): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      {
        label: 'File',
        submenu: [
          {
            label: 'Open Project…',
            accelerator: 'CmdOrCtrl+O',
            click: async () => {
              const r = await dialog.showOpenDialog({ filters: [{ name: 'HemaSeg project', extensions: ['hemaseg'] }], properties: ['openFile'] });
              if (!r.canceled && r.filePaths[0]) await openProject(r.filePaths[0], false);
            },
          },
          {
            label: 'New Project…',
            accelerator: 'CmdOrCtrl+N',
            click: async () => {
              const r = await dialog.showSaveDialog({ filters: [{ name: 'HemaSeg project', extensions: ['hemaseg'] }] });
              if (!r.canceled && r.filePath) await openProject(r.filePath, true);
            },
          },
          {
            label: 'Save a Copy…',
            click: async () => {
              const r = await dialog.showSaveDialog({ title: 'Save a copy of the project', filters: [{ name: 'HemaSeg project', extensions: ['hemaseg'] }] });
              if (r.canceled || !r.filePath) return;
              const res = await api().call('project.backup', { out: r.filePath });
              if (!res.ok) dialog.showErrorBox('HemaSeg', res.error.message);
            },
          },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );
}

app.whenReady().then(async () => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  // The main process only relays: the call runs in the API process.
  ipcMain.handle('hemaseg:call', (_e, method: string, args: unknown) => api().call(method, args));
  ipcMain.handle('hemaseg:pick-folder', async (e, defaultPath: string | null) => {
    const win = BrowserWindow.fromWebContents(e.sender);
    const opts = { properties: ['openDirectory' as const], ...(defaultPath ? { defaultPath } : {}) };
    const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    return r.canceled ? null : (r.filePaths[0] ?? null);
  });
  // The renderer names a report job, never a path: only a file this session's report job
  // wrote can be handed to the system's default application.
  ipcMain.handle('hemaseg:open-report', async (_e, jobId: string) => {
    const r = await api().call('jobs.list', undefined);
    const jobs = r.ok ? (r.value as JobInfo[]) : [];
    const file = jobResult(jobs.find((j) => j.id === jobId), 'report')?.file;
    if (!file) return `no finished report job ${jobId}`;
    return shell.openPath(file);
  });
  protocol.handle('hemaseg-media', async (req) => {
    const url = new URL(req.url);
    const m = await api().media(url.pathname.replace(/^\/+/, '') + url.search);
    return new Response(Buffer.from(m.body), { status: m.status, headers: { 'content-type': m.contentType, 'x-content-type-options': 'nosniff' } });
  });
  const projectArg = process.argv.slice(app.isPackaged ? 1 : 2).find((a) => a.endsWith('.hemaseg')) ?? null;
  relay = startApi(projectArg);
  buildMenu();
  await createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Let the API process close the project (checkpointing its WAL) before the app exits.
app.on('before-quit', (e) => {
  if (quitting || !relay?.alive) return;
  e.preventDefault();
  quitting = true;
  void relay.shutdown().finally(() => app.quit());
});
