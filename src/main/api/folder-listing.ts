// The host folder browser (fs.list): sub-folders with how many images each holds, the
// images of the folder itself, and where to start (the folder last used with the project).
import { existsSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import type { DirListing } from '../../shared/api';
import type { Project } from '../project/project';
import { IMAGE_EXTENSIONS } from '../transfer/scan-folder';

const isImageName = (name: string): boolean => !name.startsWith('.') && IMAGE_EXTENSIONS.has(extname(name).toLowerCase());

/** Image files (PNG, JPEG, TIFF, BMP, any letter case) directly in `dir`; 0 when unreadable. */
export function countImages(dir: string): number {
  try {
    return readdirSync(dir).filter(isImageName).length;
  } catch {
    return 0;
  }
}

function isDir(full: string, e: Dirent): boolean {
  if (e.isDirectory()) return true;
  if (!e.isSymbolicLink()) return false;
  try {
    return statSync(full).isDirectory();
  } catch {
    return false;
  }
}

/** The folder to start at: the given path, else the project's last folder when it still exists, else home. */
export function startFolder(path: string | undefined, lastFolder: string | null | undefined): string {
  if (path) return resolve(path);
  if (lastFolder && existsSync(lastFolder) && statSync(lastFolder).isDirectory()) return resolve(lastFolder);
  return homedir();
}

export function listFolder(path: string): DirListing {
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new Error(`${path}: not a folder`);
  let dirents: Dirent[];
  try {
    dirents = readdirSync(path, { withFileTypes: true });
  } catch (err) {
    throw new Error(`${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const entries = dirents
    .filter((e) => !e.name.startsWith('.'))
    .map((e) => {
      const full = join(path, e.name);
      const dir = isDir(full, e);
      return { name: e.name, dir, images: dir ? countImages(full) : 0 };
    })
    .filter((e) => e.dir || e.name.endsWith('.hemaseg') || isImageName(e.name))
    .sort((a, b) => Number(b.dir) - Number(a.dir) || a.name.localeCompare(b.name));
  const images = entries.filter((e) => !e.dir && isImageName(e.name)).length;
  return { path, parent: dirname(path) === path ? null : dirname(path), images, entries };
}

/** Remember `folder` as the project's last folder (best effort: a folder that vanished is not remembered). */
export function rememberFolder(project: Project, folder: string): void {
  const path = resolve(folder);
  if (existsSync(path) && statSync(path).isDirectory()) project.settings.set({ lastFolder: path });
}
