import type { ApiClient } from '../../shared/api';
import { createElectronClient, type PreloadBridge } from './electron-client';
import { createWebClient } from './web-client';

declare global {
  interface Window {
    hemaseg?: PreloadBridge;
  }
}

/** The same renderer runs in Electron (preload bridge present) and in a browser. */
export const api: ApiClient = window.hemaseg ? createElectronClient(window.hemaseg) : createWebClient();
