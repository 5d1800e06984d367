// The mask editor: toolbar, Konva canvas, side panel (image properties, layers, cells,
// history, versions) and a status line. Keyboard actions come from editor/actions.ts.
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { DifficultyClass, ImageSummary, LabelMap, Split } from '../../../shared/domain';
import { LABEL_NAMES } from '../../../shared/domain';
import { formatTime } from '../../components/format';
import { findAction, type ActionContext } from '../../editor/actions';
import { latencyStats, perfEnabled } from '../../editor/latency';
import type { EditorSession } from '../../editor/session';
import { api, errorText } from '../../state/api';
import { browseOrder, patchImages, useImages } from '../../state/images';
import { mediaUrl } from '../../state/media';
import { navigate } from '../../state/nav';
import { createStore, useStore } from '../../state/store';
import { EditorSidePanel, type LayerState } from './EditorSidePanel';
import { EditorToolbar } from './EditorToolbar';
import { MaskCanvas, type CanvasHandle, type CursorInfo } from './MaskCanvas';
import { ShortcutHelp } from './ShortcutHelp';
import { useEditorDocument, type SaveReason } from './useEditorDocument';

const AUTOSAVE_MS = 20_000;

// Pointer position and zoom change on every mouse move: keep them in a tiny store read by
// one small component, so the editor itself does not re-render while the mouse moves.
const readout = createStore<{ cursor: CursorInfo | null; zoom: number }>({ cursor: null, zoom: 1 });
const setCursorInfo = (cursor: CursorInfo | null): void => readout.set((r) => (r.cursor === cursor ? r : { ...r, cursor }));
const setZoomInfo = (zoom: number): void => readout.set((r) => ({ ...r, zoom }));

function CursorReadout() {
  const { cursor, zoom } = useStore(readout);
  return (
    <>
      <span className="mono" data-testid="editor-cursor">
        {cursor ? `x ${cursor.x}  y ${cursor.y}  ${LABEL_NAMES[cursor.label] ?? cursor.label}${cursor.instance ? ` · cell ${cursor.instance}` : ''}` : ' '}
      </span>
      <span data-testid="editor-zoom">{Math.round(zoom * 100)} %</span>
    </>
  );
}
const SECOND_COLOR = [255, 64, 200] as const;

function useSessionVersion(session: EditorSession | null): number {
  return useSyncExternalStore(
    useCallback((cb: () => void) => (session ? session.subscribe(cb) : () => undefined), [session]),
    () => (session ? session.getVersion() : -1),
  );
}

export function EditorView({ imageId, projectPath }: { imageId: number | null; projectPath: string }) {
  const { images, byId } = useImages(projectPath);
  useEffect(() => {
    // Opened without an image: take the first of the gallery order.
    if (imageId === null) {
      const first = browseOrder.get()[0] ?? images[0]?.id;
      if (first) navigate('editor', first);
    }
  }, [imageId, images]);
  if (imageId === null) return <div className="center muted">Choose an image in the gallery (double-click a tile).</div>;
  return <EditorForImage key={imageId} imageId={imageId} known={byId.get(imageId)} allImages={images} />;
}

function EditorForImage({ imageId, known, allImages }: { imageId: number; known: ImageSummary | undefined; allImages: ImageSummary[] }) {
  const doc = useEditorDocument(imageId, known);
  const { session, image } = doc;
  useSessionVersion(session);
  const canvas = useRef<CanvasHandle>(null);
  const [layers, setLayers] = useState<LayerState>({ opacity: 0.55, outline: false, visible: true, secondId: null });
  const [second, setSecond] = useState<LabelMap | null>(null);
  const [help, setHelp] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [perf, setPerf] = useState<string | null>(null);
  const dirty = session?.isDirty ?? false;
  useEffect(() => {
    if (!note) return;
    const t = setTimeout(() => setNote(null), 6000);
    return () => clearTimeout(t);
  }, [note]);

  // Second overlay.
  useEffect(() => {
    if (layers.secondId === null) {
      setSecond(null);
      return;
    }
    let live = true;
    doc.loadVersion(layers.secondId).then((m) => live && setSecond(m), (e: unknown) => live && setNote(`Overlay: ${errorText(e)}`));
    return () => {
      live = false;
    };
  }, [layers.secondId, doc.loadVersion]);

  const save = useCallback(
    async (reason: SaveReason) => {
      const outcome = await doc.save(reason);
      if (reason === 'manual' && outcome === 'saved') setNote('Saved as a new ground-truth version.');
      if (reason === 'manual' && outcome === 'unchanged') setNote('No changes to save: this is already the current ground truth.');
      return outcome === 'saved' || outcome === 'unchanged';
    },
    [doc.save],
  );

  // Autosave after a quiet period with unsaved changes.
  const version = session?.getVersion();
  useEffect(() => {
    if (!dirty) return;
    const t = setTimeout(() => void save('auto'), AUTOSAVE_MS);
    return () => clearTimeout(t);
  }, [dirty, version, save]);

  // Save on leaving the image (unmount) and warn before closing the window with unsaved work.
  const saveRef = useRef(save);
  saveRef.current = save;
  const sessionRef = useRef(session);
  sessionRef.current = session;
  useEffect(
    () => () => {
      if (sessionRef.current?.isDirty) void saveRef.current('leave');
    },
    [],
  );
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent): void => {
      if (sessionRef.current?.isDirty) e.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, []);

  const go = useCallback(
    async (dir: 1 | -1) => {
      // The gallery's filtered order, or every image when the editor was opened directly.
      const order = browseOrder.get().includes(imageId) ? browseOrder.get() : allImages.map((i) => i.id);
      const idx = order.indexOf(imageId);
      const nextId = idx >= 0 ? order[idx + dir] : order[0];
      if (!nextId) {
        setNote(dir > 0 ? 'This is the last image of the gallery selection.' : 'This is the first image.');
        return;
      }
      if (session?.isDirty && !(await save('leave'))) return;
      navigate('editor', nextId);
    },
    [imageId, session, save, allImages],
  );

  const setDifficulty = useCallback(
    (d: DifficultyClass | null) => {
      if (!image) return;
      api.call('images.update', { ids: [image.id], difficulty: d }).then(
        () => {
          patchImages([image.id], { difficulty: d });
          doc.setImage({ ...image, difficulty: d });
        },
        (e: unknown) => setNote(errorText(e)),
      );
    },
    [image, doc.setImage],
  );
  const setSplit = useCallback(
    (s: Split) => {
      if (!image) return;
      api.call('images.update', { ids: [image.id], split: s }).then(
        () => {
          patchImages([image.id], { split: s });
          doc.setImage({ ...image, split: s });
        },
        (e: unknown) => setNote(errorText(e)),
      );
    },
    [image, doc.setImage],
  );

  const ctx: ActionContext | null = useMemo(
    () =>
      session && {
        session,
        save: () => void save('manual'),
        next: () => void go(1),
        previous: () => void go(-1),
        fit: () => canvas.current?.fit(),
        zoom: (f) => canvas.current?.zoom(f),
        toggleOutline: () => setLayers((l) => ({ ...l, outline: !l.outline })),
        toggleOverlay: () => setLayers((l) => ({ ...l, visible: !l.visible })),
        setDifficulty,
        setSplit,
        toggleHelp: () => setHelp((h) => !h),
      },
    [session, save, go, setDifficulty, setSplit],
  );

  useEffect(() => {
    if (!ctx) return;
    const onKey = (e: KeyboardEvent): void => {
      const t = e.target;
      const typing = t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;
      if (document.querySelector('.modal-backdrop') && !help) return;
      if (typing && !((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's')) return;
      if (!typing && ctx.session.toolKey(e.key)) {
        e.preventDefault();
        return;
      }
      const action = findAction(e);
      if (action) {
        e.preventDefault();
        action.perform(ctx);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ctx, help]);

  useEffect(() => {
    if (!perfEnabled()) return;
    const t = setInterval(() => {
      const s = latencyStats();
      setPerf(s.n ? `stroke latency p50 ${s.p50.toFixed(1)} ms · p95 ${s.p95.toFixed(1)} ms · handler ${s.handlerMean.toFixed(2)} ms (n=${s.n})` : 'stroke latency: paint to measure');
    }, 500);
    return () => clearInterval(t);
  }, []);

  if (doc.error) return <div className="center"><div className="banner error">Could not open image {imageId}: {doc.error}</div></div>;
  if (!session || !image || !ctx) return <div className="center muted">Opening image…</div>;

  const message = session.message ?? note;
  return (
    <div className="editor" data-testid="editor" data-image-id={imageId} data-dirty={dirty ? 'true' : 'false'}>
      <EditorToolbar session={session} ctx={ctx} saving={doc.saving} dirty={dirty} />
      <div className="editor-body">
        <div className="editor-stage">
          <MaskCanvas
            session={session}
            imageUrl={mediaUrl(`image/${imageId}`)}
            opacity={layers.opacity}
            outline={layers.outline}
            maskVisible={layers.visible}
            second={second}
            secondColor={SECOND_COLOR}
            handle={canvas}
            onCursor={setCursorInfo}
            onZoom={setZoomInfo}
          />
          <div className="editor-status" data-testid="editor-status">
            <CursorReadout />
            <span className="grow ellipsis" data-testid="editor-message">
              {message}
            </span>
            {perf && <span className="mono" data-testid="editor-latency">{perf}</span>}
            <span data-testid="save-state" className={dirty ? 'warn' : 'ok'}>
              {doc.saveError ? `Save failed: ${doc.saveError}` : doc.saving ? 'Saving…' : dirty ? 'Unsaved changes' : doc.lastSaved ? `Saved #${doc.lastSaved.id} ${formatTime(doc.lastSaved.createdAt)}` : 'No changes'}
            </span>
          </div>
        </div>
        <EditorSidePanel
          image={image}
          session={session}
          versions={doc.versions}
          startedFrom={doc.startedFrom}
          parentId={doc.parentId}
          layers={layers}
          onLayers={setLayers}
          onDifficulty={setDifficulty}
          onSplit={setSplit}
          onStartFrom={(o) => void doc.startFrom(o)}
          onRestore={(id) => void doc.restore(id)}
        />
      </div>
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
    </div>
  );
}
