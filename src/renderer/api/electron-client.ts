import type { ApiClient, ApiEvent, ApiMethod, ApiRequest, ApiResponse } from '../../shared/api';

/** What the preload script exposes on `window.hemaseg` (see src/preload). */
export interface PreloadBridge {
  call(method: string, args: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: { message: string } }>;
  onEvent(listener: (e: ApiEvent) => void): () => void;
  /**
   * Host path of a dropped File (Electron's webUtils.getPathForFile; File.path is gone
   * since Electron 32). Optional: without it, drag-and-drop import is disabled.
   */
  pathForFile?(file: File): string;
  /** The native folder dialog (desktop only); null when cancelled. */
  pickFolder?(defaultPath?: string): Promise<string | null>;
  /** Open a written file with the system's default application (desktop only). */
  openReport?(jobId: string): Promise<string>;
}

export function createElectronClient(bridge: PreloadBridge): ApiClient {
  return {
    shell: 'electron',
    async call<M extends ApiMethod>(method: M, ...args: ApiRequest<M> extends void ? [] : [ApiRequest<M>]): Promise<ApiResponse<M>> {
      const res = await bridge.call(method, args[0] ?? null);
      if (!res.ok) throw new Error(res.error.message);
      return res.value as ApiResponse<M>;
    },
    onEvent: (listener) => bridge.onEvent(listener),
    mediaUrl: (path) => `hemaseg-media://media/${path}`,
  };
}
