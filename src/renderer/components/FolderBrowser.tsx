// Browse the host's folders through fs.list (the browser UI cannot use native dialogs; the
// desktop offers its native dialog as well). Without a start it opens where this project's
// folder browser was last used (fs.list remembers it, fs.remember records a pick). Shows
// how many images each folder holds and the images of the current one, so a folder of
// images never looks "(empty)". Picks a folder, or a file when `pickFile` filters names.
import { useEffect, useRef, useState } from 'react';
import type { DirListing } from '../../shared/api';
import { api, errorText } from '../state/api';
import { joinPath } from './format';

export interface FolderBrowserProps {
  start?: string;
  /** When set, files matching it are listed and can be picked. */
  pickFile?: (name: string) => boolean;
  onPick: (path: string) => void;
  testId?: string;
}

const IMAGE_RE = /\.(png|jpe?g|tiff?|bmp)$/i;

/** Remember a chosen folder for this project (best effort: older hosts lack fs.remember). */
export function rememberFolder(path: string): void {
  api.call('fs.remember', { path }).catch(() => undefined);
}

export function FolderBrowser({ start, pickFile, onPick, testId }: FolderBrowserProps) {
  const [listing, setListing] = useState<DirListing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [typed, setTyped] = useState(start ?? '');

  // Only the newest request counts: a slow first listing must not replace a typed one.
  const seq = useRef(0);
  const go = (path?: string): void => {
    const mine = ++seq.current;
    api.call('fs.list', path ? { path } : {}).then(
      (l) => {
        if (mine !== seq.current) return;
        setListing(l);
        setTyped(l.path);
        setError(null);
      },
      (e: unknown) => mine === seq.current && setError(errorText(e)),
    );
  };
  useEffect(() => go(start || undefined), [start]);

  const pick = (path: string): void => {
    rememberFolder(pickFile ? path.replace(/[\\/][^\\/]*$/, '') : path);
    onPick(path);
  };
  const native = window.hemaseg?.pickFolder;

  const dirs = listing?.entries.filter((e) => e.dir) ?? [];
  const files = listing?.entries.filter((e) => !e.dir) ?? [];
  const imageFiles = files.filter((e) => IMAGE_RE.test(e.name));
  const hereImages = listing ? (listing.images ?? imageFiles.length) : 0;
  const pickable = pickFile ? files.filter((e) => pickFile(e.name)) : [];
  const shownFiles = pickFile ? pickable : imageFiles.slice(0, 8);
  const empty = dirs.length === 0 && shownFiles.length === 0;
  return (
    <div className="folder-browser" data-testid={testId ?? 'folder-browser'}>
      <form
        className="folder-path"
        onSubmit={(e) => {
          e.preventDefault();
          go(typed);
        }}
      >
        <button type="button" className="btn small" disabled={!listing?.parent} onClick={() => listing?.parent && go(listing.parent)} title="Parent folder">
          ↑
        </button>
        <input value={typed} onChange={(e) => setTyped(e.target.value)} spellCheck={false} data-testid="folder-path-input" aria-label="Folder path" />
        <button type="submit" className="btn small">
          Go
        </button>
        {native && !pickFile && (
          <button
            type="button"
            className="btn small"
            onClick={() => void native(listing?.path).then((p) => p && pick(p))}
            data-testid="folder-native"
          >
            System dialog…
          </button>
        )}
      </form>
      {error && <div className="error-text">{error}</div>}
      {listing && (
        <p className="muted small folder-summary" data-testid="folder-here-count" data-images={hereImages}>
          {hereImages > 0 ? `${hereImages} image${hereImages === 1 ? '' : 's'} in this folder` : 'No images directly in this folder'}
          {dirs.length > 0 ? ` · ${dirs.length} sub-folder${dirs.length === 1 ? '' : 's'}` : ''}
        </p>
      )}
      <ul className="folder-list">
        {listing && empty && <li className="muted">(no sub-folders{pickFile ? ' or matching files' : ''})</li>}
        {dirs.map((e) => (
          <li key={e.name}>
            <button className="folder-entry" data-testid={`folder-entry-${e.name}`} onClick={() => go(joinPath(listing?.path ?? '', e.name))}>
              <span className="folder-icon dir" aria-hidden />
              <span className="folder-name">{e.name}</span>
              {e.images > 0 && <span className="folder-count">{e.images} images</span>}
            </button>
          </li>
        ))}
        {shownFiles.map((e) => (
          <li key={e.name}>
            {pickFile ? (
              <button className="folder-entry" data-testid={`folder-entry-${e.name}`} onClick={() => pick(joinPath(listing?.path ?? '', e.name))}>
                <span className="folder-icon file" aria-hidden />
                <span className="folder-name">{e.name}</span>
              </button>
            ) : (
              <span className="folder-entry file-entry muted">
                <span className="folder-icon file" aria-hidden />
                <span className="folder-name">{e.name}</span>
              </span>
            )}
          </li>
        ))}
        {!pickFile && imageFiles.length > shownFiles.length && <li className="muted small">… and {imageFiles.length - shownFiles.length} more images</li>}
      </ul>
      {!pickFile && listing && (
        <div className="folder-actions">
          <span className="muted ellipsis" title={listing.path}>
            {listing.path}
          </span>
          <button className="btn primary small" data-testid="folder-choose" onClick={() => pick(listing.path)}>
            Use this folder
          </button>
        </div>
      )}
    </div>
  );
}
