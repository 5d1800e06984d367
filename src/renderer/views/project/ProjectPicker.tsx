// Open a recent project, open one by path (typed or browsed on the host), or create one.
import { useState } from 'react';
import { FolderBrowser } from '../../components/FolderBrowser';
import { baseName, joinPath } from '../../components/format';
import { api, errorText } from '../../state/api';
import { useAsync } from '../../state/async';
import { navigate } from '../../state/nav';
import { setProject } from '../../state/project';

const isProjectFile = (name: string): boolean => name.endsWith('.hemaseg');

export function ProjectPicker(props: { error?: string | null; embedded?: boolean; onOpened?: () => void }) {
  const recent = useAsync(() => api.call('project.recent'), []);
  const [path, setPath] = useState('');
  const [newDir, setNewDir] = useState('');
  const [newName, setNewName] = useState('my-project');
  const [mode, setMode] = useState<'open' | 'create'>('open');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const open = async (p: string, create = false): Promise<void> => {
    if (!p.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const info = await api.call('project.open', { path: p.trim(), create });
      setProject(info);
      navigate('gallery');
      props.onOpened?.();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const createPath = newDir && newName ? joinPath(newDir, newName.endsWith('.hemaseg') ? newName : `${newName}.hemaseg`) : '';

  return (
    <div className={props.embedded ? 'picker embedded' : 'picker'} data-testid="project-picker">
      {!props.embedded && (
        <div className="picker-intro">
          <h1>Open a project</h1>
          <p className="muted">A project is one file holding your images, every mask version, models and evaluations.</p>
        </div>
      )}
      {(error || props.error) && <div className="banner error">{error ?? props.error}</div>}
      <div className="picker-grid">
        <section className="card">
          <h2>Recent</h2>
          {recent.data && recent.data.length === 0 && <p className="muted">No recent projects.</p>}
          <ul className="recent-list" data-testid="recent-list">
            {recent.data?.map((p) => (
              <li key={p}>
                <button className="recent-entry" disabled={busy} onClick={() => void open(p)} title={p}>
                  <strong>{baseName(p).replace(/\.hemaseg$/, '')}</strong>
                  <span className="muted ellipsis">{p}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
        <section className="card">
          <div className="segmented">
            <button className={mode === 'open' ? 'active' : ''} onClick={() => setMode('open')} data-testid="picker-mode-open">
              Open existing
            </button>
            <button className={mode === 'create' ? 'active' : ''} onClick={() => setMode('create')} data-testid="picker-mode-create">
              Create new
            </button>
          </div>
          {mode === 'open' ? (
            <>
              <form
                className="row"
                onSubmit={(e) => {
                  e.preventDefault();
                  void open(path);
                }}
              >
                <input className="grow" placeholder="/path/to/project.hemaseg" value={path} onChange={(e) => setPath(e.target.value)} data-testid="project-path-input" spellCheck={false} />
                <button className="btn primary" disabled={busy || !path.trim()} data-testid="project-open">
                  Open
                </button>
              </form>
              <FolderBrowser pickFile={isProjectFile} onPick={(p) => void open(p)} testId="project-browser" />
            </>
          ) : (
            <>
              <label className="field">
                <span>Name</span>
                <input value={newName} onChange={(e) => setNewName(e.target.value)} data-testid="project-new-name" />
              </label>
              <label className="field">
                <span>Folder</span>
                <input value={newDir} onChange={(e) => setNewDir(e.target.value)} placeholder="choose below" data-testid="project-new-dir" spellCheck={false} />
              </label>
              <FolderBrowser onPick={setNewDir} testId="project-new-browser" />
              <div className="row end">
                <span className="muted ellipsis">{createPath}</span>
                <button className="btn primary" disabled={busy || !createPath} onClick={() => void open(createPath, true)} data-testid="project-create">
                  Create project
                </button>
              </div>
            </>
          )}
        </section>
      </div>
    </div>
  );
}
