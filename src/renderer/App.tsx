// The app shell: top bar (project, view tabs), the active view, and the status bar.
// Without an open project it shows the project picker.
import { lazy, Suspense, useEffect } from 'react';
import { startTrainCollector } from './state/training';
import { StatusBar } from './components/StatusBar';
import { TopBar } from './components/TopBar';
import { rememberImage, useRoute, type ViewId } from './state/nav';
import { useProjectState } from './state/project';
import { GalleryView } from './views/gallery/GalleryView';
import { ProjectPicker } from './views/project/ProjectPicker';

// Heavier views (Konva, chart.js) load on first use so the gallery opens fast.
const EditorView = lazy(() => import('./views/editor/EditorView').then((m) => ({ default: m.EditorView })));
const TrainView = lazy(() => import('./views/train/TrainView').then((m) => ({ default: m.TrainView })));
const BatchView = lazy(() => import('./views/batch/BatchView').then((m) => ({ default: m.BatchView })));
const CompareView = lazy(() => import('./views/compare/CompareView').then((m) => ({ default: m.CompareView })));
const ReportsView = lazy(() => import('./views/reports/ReportsView').then((m) => ({ default: m.ReportsView })));
const SettingsView = lazy(() => import('./views/settings/SettingsView').then((m) => ({ default: m.SettingsView })));

function ActiveView({ view, imageId, projectPath }: { view: ViewId; imageId: number | null; projectPath: string }) {
  switch (view) {
    case 'gallery':
      return <GalleryView projectPath={projectPath} />;
    case 'editor':
      return <EditorView imageId={imageId} projectPath={projectPath} />;
    case 'train':
      return <TrainView />;
    case 'batch':
      return <BatchView />;
    case 'compare':
      return <CompareView imageId={imageId} projectPath={projectPath} />;
    case 'reports':
      return <ReportsView />;
    case 'settings':
      return <SettingsView />;
  }
}

export function App() {
  const { loaded, project, app, error } = useProjectState();
  const route = useRoute();
  useEffect(startTrainCollector, []);
  useEffect(() => {
    if (route.imageId) rememberImage(route.imageId);
  }, [route.imageId]);
  useEffect(() => {
    document.title = project ? `${project.name} – HemaSeg` : 'HemaSeg';
  }, [project]);

  return (
    <div className="app" data-testid="app">
      <TopBar project={project} view={route.view} />
      <main className="app-main">
        {!loaded && <div className="center muted">Connecting…</div>}
        {loaded && !project && <ProjectPicker error={error} />}
        {loaded && project && (
          <Suspense fallback={<div className="center muted">Loading…</div>}>
            <ActiveView view={route.view} imageId={route.imageId} projectPath={project.path} />
          </Suspense>
        )}
      </main>
      <StatusBar project={project} app={app} />
    </div>
  );
}
