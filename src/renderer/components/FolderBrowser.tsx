// Browse the host's folders through fs.list (the browser UI cannot use native dialogs).
// Picks a folder, or a file when `pickFile` filters names.
import { useEffect, useState } from 'react';
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

export function FolderBrowser({ start, pickFile, onPick, testId }: FolderBrowserProps) {
  const [listing, setListing] = useState<DirListing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [typed, setTyped] = useState(start ?? '');

  const go = (path?: string): void => {
    api.call('fs.list', path ? { path } : {}).then(
      (l) => {
        setListing(l);
        setTyped(l.path);
        setError(null);
      },
      (e: unknown) => setError(errorText(e)),
    );
  };
  useEffect(() => go(start || undefined), [start]);

  const entries = listing?.entries.filter((e) => e.dir || pickFile?.(e.name)) ?? [];
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
      </form>
      {error && <div className="error-text">{error}</div>}
      <ul className="folder-list">
        {entries.length === 0 && <li className="muted">(empty)</li>}
        {entries.map((e) => (
          <li key={e.name}>
            <button
              className="folder-entry"
              data-testid={`folder-entry-${e.name}`}
              onClick={() => (e.dir ? go(joinPath(listing?.path ?? '', e.name)) : onPick(joinPath(listing?.path ?? '', e.name)))}
            >
              <span className={`folder-icon ${e.dir ? "dir" : "file"}`} aria-hidden />
              <span className="folder-name">{e.name}</span>
              {e.dir && e.images > 0 && <span className="folder-count">{e.images} images</span>}
            </button>
          </li>
        ))}
      </ul>
      {!pickFile && listing && (
        <div className="folder-actions">
          <span className="muted ellipsis" title={listing.path}>
            {listing.path}
          </span>
          <button className="btn primary small" data-testid="folder-choose" onClick={() => onPick(listing.path)}>
            Use this folder
          </button>
        </div>
      )}
    </div>
  );
}
