// "Save a copy": a consistent copy of the open project to a new file (SQLite online backup,
// safe while the project is in use; never overwrites).
import { useState } from 'react';
import type { ProjectInfo } from '../../../shared/api';
import { api, errorText } from '../../state/api';

function defaultCopyPath(path: string): string {
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return path.replace(/(\.hemaseg)?$/, `-copy-${stamp}.hemaseg`);
}

export function SaveCopy({ project }: { project: ProjectInfo }) {
  const [out, setOut] = useState(() => defaultCopyPath(project.path));
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const save = async (): Promise<void> => {
    setBusy(true);
    setResult(null);
    try {
      const r = await api.call('project.backup', { out: out.trim() });
      setResult({ ok: true, text: `Saved a copy to ${r.path} (${r.images} images, ${(r.bytes / 1e6).toFixed(1)} MB).` });
    } catch (e) {
      setResult({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" data-testid="save-copy">
      <h2>Save a copy</h2>
      {result && <div className={`banner ${result.ok ? 'ok' : 'error'}`} data-testid="save-copy-result">{result.text}</div>}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <input className="grow" value={out} onChange={(e) => setOut(e.target.value)} spellCheck={false} data-testid="save-copy-path" aria-label="Copy to file" />
        <button className="btn" disabled={busy || !out.trim()} data-testid="save-copy-button">
          {busy ? 'Saving…' : 'Save a copy'}
        </button>
      </form>
    </section>
  );
}
