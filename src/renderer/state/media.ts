// Media URLs (thumb/<id>, image/<id>, mask/<version>) are numbered per project, so the same
// URL means different pixels in another project. A per-project key in the query keeps the
// browser cache from showing one project's thumbnails in another.
import { api } from './api';

let key = '0';

/** Called when the open project changes. */
export function setMediaProject(path: string | null): void {
  let h = 0;
  for (const ch of path ?? '') h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  // The open time distinguishes a project re-created at the same path.
  key = `${(h >>> 0).toString(36)}.${Date.now().toString(36)}`;
}

export function mediaUrl(path: string): string {
  return api.mediaUrl(`${path}${path.includes('?') ? '&' : '?'}p=${key}`);
}
