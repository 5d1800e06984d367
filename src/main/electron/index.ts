// The desktop shell: window, menu, native dialogs and the IPC binding of the API.
// Everything else lives in services that also run headless (CLI, web host).
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, utilityProcess } from 'electron';
import { join } from 'node:path';
import { AppContext } from '../api/app-context';
import { ApiService } from '../api/api-service';
import { ensureSampleProject } from '../sample/sample-project';
import { CSP } from '../server/web-host';
import { setWorkerLauncher, utilityProcessLauncher } from '../ml/worker/launcher';

protocol.registerSchemesAsPrivileged([{ scheme: 'hemaseg-media', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// On the desktop the ML worker is an Electron utility process (no Node binary needed).
setWorkerLauncher(utilityProcessLauncher((modulePath, args, options) => utilityProcess.fork(modulePath, args, options)));

const ctx = new AppContext('electron');
const service = new ApiService(ctx);

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
  const forward = (e: unknown): void => {
    if (!win.isDestroyed()) win.webContents.send('hemaseg:event', e);
  };
  ctx.events.on('event', forward);
  win.on('closed', () => ctx.events.off('event', forward));
  if (process.env.ELECTRON_RENDERER_URL) await win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else await win.loadFile(join(__dirname, '../renderer/index.html'));
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
              if (!r.canceled && r.filePaths[0]) ctx.open(r.filePaths[0]);
            },
          },
          {
            label: 'New Project…',
            accelerator: 'CmdOrCtrl+N',
            click: async () => {
              const r = await dialog.showSaveDialog({ filters: [{ name: 'HemaSeg project', extensions: ['hemaseg'] }] });
              if (!r.canceled && r.filePath) ctx.open(r.filePath, true);
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
  ipcMain.handle('hemaseg:call', (_e, method: string, args: unknown) => service.call(method, args));
  protocol.handle('hemaseg-media', async (req) => {
    const url = new URL(req.url);
    const m = await service.media(url.pathname.replace(/^\/+/, '') + url.search);
    return new Response(Buffer.from(m.body), { status: m.status, headers: { 'content-type': m.contentType } });
  });
  const projectArg = process.argv.slice(app.isPackaged ? 1 : 2).find((a) => a.endsWith('.hemaseg'));
  ctx.open(projectArg ?? (await ensureSampleProject()).path);
  buildMenu();
  await createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
});

app.on('window-all-closed', () => {
  ctx.close();
  if (process.platform !== 'darwin') app.quit();
});
