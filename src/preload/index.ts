import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { ApiEvent } from '../shared/api';

// The only door between the sandboxed renderer and the main process: one call channel
// and one event channel carrying the API contract.
contextBridge.exposeInMainWorld('hemaseg', {
  call: (method: string, args: unknown) => ipcRenderer.invoke('hemaseg:call', method, args),
  onEvent: (listener: (e: ApiEvent) => void) => {
    const wrapped = (_e: IpcRendererEvent, payload: ApiEvent): void => listener(payload);
    ipcRenderer.on('hemaseg:event', wrapped);
    return () => ipcRenderer.off('hemaseg:event', wrapped);
  },
  // Dropped files carry their host path only through webUtils (File.path is gone).
  pathForFile: (file: File) => webUtils.getPathForFile(file),
  // Native dialogs and opening written files: the folder browser and the Reports view use
  // them on the desktop instead of browsing the host through fs.list.
  pickFolder: (defaultPath?: string): Promise<string | null> => ipcRenderer.invoke('hemaseg:pick-folder', defaultPath ?? null),
  openReport: (jobId: string): Promise<string> => ipcRenderer.invoke('hemaseg:open-report', jobId),
});
