import { useState } from 'react';
import type { ProjectInfo } from '../../shared/api';
import { leaveThen, navigate, VIEW_TITLES, VIEWS, type ViewId } from '../state/nav';
import { ProjectPicker } from '../views/project/ProjectPicker';
import { SaveCopy } from '../views/project/SaveCopy';
import { Modal } from './Modal';

export function TopBar({ project, view }: { project: ProjectInfo | null; view: ViewId }) {
  const [picking, setPicking] = useState(false);
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden />
        HemaSeg
      </div>
      {project && (
        <button className="project-name" data-testid="project-switch" title={`${project.path}\nClick to open another project`} onClick={() => leaveThen(() => setPicking(true))}>
          {project.name}
          <span className="caret" aria-hidden>
            ▾
          </span>
        </button>
      )}
      {project && (
        <nav className="tabs" role="tablist">
          {VIEWS.map((v) => (
            <button key={v} role="tab" aria-selected={v === view} className={`tab ${v === view ? 'active' : ''}`} data-testid={`tab-${v}`} onClick={() => navigate(v)}>
              {VIEW_TITLES[v]}
            </button>
          ))}
        </nav>
      )}
      {picking && (
        <Modal title="Open or create a project" onClose={() => setPicking(false)} wide>
          <ProjectPicker embedded onOpened={() => setPicking(false)} />
          {project && <SaveCopy project={project} />}
        </Modal>
      )}
    </header>
  );
}
