// The mask editor: toolbar, Konva canvas, side panel (image properties, review state,
// layers, segment-in-place, cells, history, versions) and a status line. Keyboard actions
// come from the registry (keys/registry.ts) in the active preset. Nothing is saved on the
// way to another image or view: unsaved edits ask first (save / discard / cancel).
// A frame of a sequence gets the frame bar (FrameBar.tsx): scrubber, play, onion skin of the
// previous frame's mask and "copy the previous frame's mask" (an undoable edit, not a save).
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { DifficultyClass, ImageSummary, LabelMap, MaskVersionInfo, ReviewState, Split } from '../../../shared/domain';
import { LABEL_NAMES } from '../../../shared/domain';
import { formatTime } from '../../components/format';
import { optionOf, type StartOption } from '../../editor/document';
import { PALETTES } from '../../editor/colorize';
import type { EditorContext } from '../../keys/registry';
import { useKeyActions } from '../../keys/use-key-actions';
import { latencyStats, perfEnabled } from '../../editor/latency';
import type { EditorSession } from '../../editor/session';
import { api, errorText } from '../../state/api';
import { browseOrder, patchImages, useImages } from '../../state/images';
import { mediaUrl } from '../../state/media';
import { navigate, setLeaveGuard } from '../../state/nav';
import { usePreferences } from '../../state/preferences';
import { createStore, useStore } from '../../state/store';
import { EditorSidePanel, type LayerState } from './EditorSidePanel';
import { EditorToolbar } from './EditorToolbar';
import { MaskCanvas, type CanvasHandle, type CursorInfo } from './MaskCanvas';
import { ShortcutHelp } from './ShortcutHelp';
import { LeavePrompt } from './LeavePrompt';
import { SegmentPanel } from './SegmentPanel';
import { useEditorDocument } from './useEditorDocument';
import { FrameBar, frameView, setPlaying, toggleOnion } from './FrameBar';
import { sequenceFrames, frameStep } from '../../editor/frames';
import { versionLabel } from '../../editor/document';
import { keysFor } from '../../keys/registry';
import { describe as describeKey } from '../../keys/shortcuts';
import { useSequences } from '../../state/sequences';
import type { PreviousFrameMask } from '../../../shared/api';

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
  const { images } = useImages(projectPath);
  useEffect(() => {
    // Opened without an image: take the first of the gallery order.
    if (imageId === null) {
      const first = browseOrder.get()[0] ?? images[0]?.id;
      if (first) navigate('editor', first);
    }
  }, [imageId, images]);
  if (imageId === null) return <div className="center muted">Choose an image in the gallery (double-click a tile).</div>;
  return <EditorForImage key={imageId} imageId={imageId} allImages={images} projectPath={projectPath} />;
}

function EditorForImage({ imageId, allImages, projectPath }: { imageId: number; allImages: ImageSummary[]; projectPath: string }) {
  const doc = useEditorDocument(imageId);
  const { session, image } = doc;
  useSessionVersion(session);
  const prefs = usePreferences();
  const canvas = useRef<CanvasHandle>(null);
  const [layers, setLayers] = useState<LayerState>({ opacity: prefs.overlayOpacity, outline: false, visible: true, secondId: null });
  const [second, setSecond] = useState<LabelMap | null>(null);
  const [proposal, setProposal] = useState<MaskVersionInfo | null>(null);
  const [help, setHelp] = useState(false);
  const [segmentRun, setSegmentRun] = useState(0);
  const [note, setNote] = useState<string | null>(null);
  const [prompt, setPrompt] = useState<{ title: string; proceed: () => void } | null>(null);
  const [perf, setPerf] = useState<string | null>(null);
  const dirty = doc.dirty;

  // ---- sequence frames ----------------------------------------------------------------------
  const sequences = useSequences(projectPath);
  const frames = useMemo(() => sequenceFrames(image, allImages), [image, allImages]);
  const sequence = image?.sequenceId != null ? (sequences.byId.get(image.sequenceId) ?? null) : null;
  const { onion } = useStore(frameView);
  // The previous frame's mask: undefined until asked (onion skin on, or a copy), null for none.
  const [previous, setPrevious] = useState<PreviousFrameMask | null | undefined>(undefined);
  const previousRequest = useRef<Promise<PreviousFrameMask | null> | null>(null);
  const loadPrevious = useCallback((): Promise<PreviousFrameMask | null> => {
    previousRequest.current ??= api.call('sequences.previousMask', { imageId }).then((p) => {
      setPrevious(p);
      return p;
    });
    return previousRequest.current;
  }, [imageId]);
  const isFrame = image?.sequenceId != null;
  useEffect(() => {
    if (onion && isFrame) loadPrevious().catch((e: unknown) => setNote(`Onion skin: ${errorText(e)}`));
  }, [onion, isFrame, loadPrevious]);
  const onionMap = onion && previous?.mask && image && previous.mask.width === image.width && previous.mask.height === image.height ? previous.mask : null;
  const onionNote = previous === undefined ? 'loading…' : previous === null ? 'first frame: no previous frame' : previous.version ? `frame ${previous.frameIndex}: ${versionLabel(previous.version)}` : `frame ${previous.frameIndex} has no mask`;
  const goFrame = useCallback(
    (id: number) => {
      // Unsaved edits: stop playing, the leave prompt asks (navigate goes through the guard).
      if (doc.dirty) setPlaying(false);
      navigate('editor', id);
    },
    [doc],
  );
  const stepFrame = useCallback(
    (dir: 1 | -1) => {
      if (frames.length === 0) {
        setNote('This image is no frame of a sequence: use next / previous image.');
        return;
      }
      const id = frameStep(frames, imageId, dir);
      if (id === null) setNote(dir > 0 ? 'This is the last frame of the sequence.' : 'This is the first frame of the sequence.');
      else goFrame(id);
    },
    [frames, imageId, goFrame],
  );
  const copyPrevious = useCallback(async () => {
    if (!session || !image) return;
    if (image.sequenceId === null) {
      setNote('This image is no frame of a sequence.');
      return;
    }
    try {
      const prev = await loadPrevious();
      if (!prev) setNote('This is the first frame: there is no previous frame to copy.');
      else if (!prev.mask || !prev.version) setNote(`Frame ${prev.frameIndex} has no mask to copy.`);
      else if (prev.mask.width !== image.width || prev.mask.height !== image.height) setNote(`Frame ${prev.frameIndex} is ${prev.mask.width}x${prev.mask.height}, this frame ${image.width}x${image.height}: not copied.`);
      else {
        session.replaceAll(prev.mask, `Copy mask of frame ${prev.frameIndex}`);
        setNote(`Copied the mask of frame ${prev.frameIndex} (${versionLabel(prev.version)}). Undo takes it back; nothing is saved until you save.`);
      }
    } catch (e) {
      setNote(`Copy: ${errorText(e)}`);
    }
  }, [session, image, loadPrevious]);
  // Stop playing when the editor leaves the sequence (another view, a loose image).
  useEffect(() => () => {
    if (!window.location.hash.startsWith('#/editor/')) setPlaying(false);
  }, []);
  useEffect(() => {
    if (image && frames.length === 0 && frameView.get().playing) setPlaying(false);
  }, [image, frames.length]);
  // Status messages (ours and the tools') clear after a few seconds.
  const toolMessage = session?.message ?? null;
  useEffect(() => {
    if (!note && !toolMessage) return;
    const t = setTimeout(() => {
      setNote(null);
      if (session && session.message === toolMessage) session.message = null;
      session?.redraw();
    }, 5000);
    return () => clearTimeout(t);
  }, [note, toolMessage, session]);

  // Second overlay (a chosen version, or the segmentation result on approval).
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
  }, [layers.secondId, doc]);

  const save = useCallback(async () => {
    const outcome = await doc.save('manual');
    if (outcome === 'saved') setNote('Saved as a new ground-truth version.');
    if (outcome === 'unchanged') setNote(doc.canAccept ? 'No edits to save. To store this mask unchanged as ground truth, use "Accept as ground truth".' : 'No edits to save: this is already the current ground truth.');
  }, [doc]);
  const accept = useCallback(async () => {
    const outcome = await doc.save('accept');
    if (outcome === 'saved') setNote(`Accepted as ground truth (version #${doc.lastSaved?.id ?? '?'}).`);
    if (outcome === 'unchanged') setNote('This is already the current ground truth.');
  }, [doc]);

  // Autosave real edits after a quiet period (a starting mask alone is never saved).
  const version = session?.getVersion();
  useEffect(() => {
    if (!dirty) return;
    const t = setTimeout(() => void doc.save('auto'), AUTOSAVE_MS);
    return () => clearTimeout(t);
  }, [dirty, version, doc]);

  /** Run `proceed` now, or after the user chose save / discard for unsaved edits. */
  const askThen = useCallback(
    (title: string, proceed: () => void): boolean => {
      if (!doc.dirty) return false;
      setPrompt({ title, proceed });
      return true;
    },
    [doc],
  );
  useEffect(() => setLeaveGuard((proceed) => askThen('Leave this image with unsaved edits?', proceed)), [askThen]);
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent): void => {
      if (doc.dirty) e.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [doc]);

  const go = useCallback(
    (dir: 1 | -1) => {
      // The gallery's filtered order, or every image when the editor was opened directly.
      const order = browseOrder.get().includes(imageId) ? browseOrder.get() : allImages.map((i) => i.id);
      const idx = order.indexOf(imageId);
      const nextId = idx >= 0 ? order[idx + dir] : order[0];
      if (!nextId) {
        setNote(dir > 0 ? 'This is the last image of the gallery selection.' : 'This is the first image.');
        return;
      }
      navigate('editor', nextId);
    },
    [imageId, allImages],
  );

  const startFrom = useCallback(
    (o: StartOption) => {
      const run = (): void => void doc.startFrom(o);
      if (!askThen(`Start from ${o.label}? Your edits are not saved.`, run)) run();
    },
    [doc, askThen],
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
    [image, doc],
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
    [image, doc],
  );
  const setReview = useCallback(
    (r: ReviewState) => {
      if (!image) return;
      api.call('images.setReview', { ids: [image.id], review: r }).then(
        () => {
          patchImages([image.id], { review: r });
          doc.setImage({ ...image, review: r });
          setNote(r === 'reviewed' ? 'Marked reviewed.' : 'Marked draft.');
        },
        (e: unknown) => setNote(errorText(e)),
      );
    },
    [image, doc],
  );

  const takeProposal = useCallback(
    (v: MaskVersionInfo, thenAccept: boolean) => {
      const run = async (): Promise<void> => {
        await doc.startFrom(optionOf(v));
        setProposal(null);
        setLayers((l) => ({ ...l, secondId: null }));
        if (thenAccept) await accept();
        else setNote(`Editing from ${v.kind} ${v.source}. Nothing is ground truth until you save or accept.`);
      };
      if (!askThen(`Replace your unsaved edits with the result of ${v.source}?`, () => void run())) void run();
    },
    [doc, askThen, accept],
  );

  const ctx: EditorContext | null = useMemo(
    () =>
      session && {
        scope: 'editor',
        session,
        save: () => void save(),
        accept: () => void accept(),
        discard: () => {
          doc.discard();
          setNote('Edits discarded: back to the start of this session.');
        },
        segment: () => setSegmentRun((n) => n + 1),
        next: () => go(1),
        previous: () => go(-1),
        fit: () => canvas.current?.fit(),
        zoom: (f) => canvas.current?.zoom(f),
        toggleOutline: () => setLayers((l) => ({ ...l, outline: !l.outline })),
        toggleOverlay: () => setLayers((l) => ({ ...l, visible: !l.visible })),
        setDifficulty,
        setSplit,
        setReview,
        toggleHelp: () => setHelp((h) => !h),
        frame: stepFrame,
        togglePlay: () => {
          if (frames.length < 2) setNote('This image is no frame of a sequence.');
          else setPlaying(!frameView.get().playing);
        },
        toggleOnion,
        copyPreviousMask: () => void copyPrevious(),
      },
    [session, save, accept, doc, go, setDifficulty, setSplit, setReview, stepFrame, frames, copyPrevious],
  );
  useKeyActions(ctx, prefs.shortcutPreset, { toolKey: (k) => session?.toolKey(k) ?? false, helpOpen: help });

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
  const startedFromPrediction = doc.start?.kind === 'prediction' || doc.start?.kind === 'baseline';
  return (
    <div className="editor" data-testid="editor" data-image-id={imageId} data-dirty={dirty ? 'true' : 'false'} data-start-kind={doc.start?.kind ?? 'empty'}>
      <EditorToolbar session={session} ctx={ctx} saving={doc.saving} dirty={dirty} canAccept={doc.canAccept} preset={prefs.shortcutPreset} palette={prefs.overlayPalette} />
      <div className="editor-body">
        <div className="editor-stage">
          {startedFromPrediction && !dirty && (
            <div className="editor-banner" data-testid="editor-start-banner">
              Showing <strong>{doc.start?.label}</strong>: not ground truth. Edit it, or <button className="linkish" onClick={() => void accept()} data-testid="banner-accept">accept it as ground truth</button>.
            </div>
          )}
          {proposal && (
            <div className="editor-banner proposal" data-testid="segment-proposal" data-version-id={proposal.id}>
              Result of <strong>{proposal.source}</strong> shown as the magenta outline.
              <button className="btn small" onClick={() => takeProposal(proposal, false)} data-testid="proposal-edit">
                Edit from it
              </button>
              <button className="btn small primary" onClick={() => takeProposal(proposal, true)} data-testid="proposal-accept">
                Accept as ground truth
              </button>
              <button
                className="btn small ghost"
                onClick={() => {
                  setProposal(null);
                  setLayers((l) => ({ ...l, secondId: null }));
                }}
                data-testid="proposal-discard"
              >
                Discard
              </button>
            </div>
          )}
          <MaskCanvas
            session={session}
            imageUrl={mediaUrl(`image/${imageId}`)}
            opacity={layers.opacity}
            outline={layers.outline}
            outlineWidth={prefs.outlineWidth}
            palette={PALETTES[prefs.overlayPalette]}
            maskVisible={layers.visible}
            second={second}
            secondColor={SECOND_COLOR}
            onion={onionMap}
            handle={canvas}
            onCursor={setCursorInfo}
            onZoom={setZoomInfo}
          />
          {frames.length > 0 && image && (
            <FrameBar
              image={image}
              frames={frames}
              sequence={sequence}
              onGo={goFrame}
              onCopyPrevious={() => void copyPrevious()}
              keysOf={(id) => keysFor(id, prefs.shortcutPreset).map((k) => describeKey(k)).join(' or ')}
              onionNote={onionNote}
            />
          )}
          <div className="editor-status" data-testid="editor-status">
            <CursorReadout />
            <span className="grow ellipsis" data-testid="editor-message">
              {message}
            </span>
            {perf && <span className="mono" data-testid="editor-latency">{perf}</span>}
            <span data-testid="save-state" className={dirty ? 'warn' : 'ok'}>
              {doc.saveError ? `Save failed: ${doc.saveError}` : doc.saving ? 'Saving…' : dirty ? 'Unsaved edits' : doc.lastSaved ? `Saved #${doc.lastSaved.id} ${formatTime(doc.lastSaved.createdAt)}` : 'No edits'}
            </span>
          </div>
        </div>
        <EditorSidePanel
          image={image}
          session={session}
          versions={doc.versions}
          startedFrom={doc.start}
          parentId={doc.parentId}
          layers={layers}
          onLayers={setLayers}
          onDifficulty={setDifficulty}
          onSplit={setSplit}
          onReview={setReview}
          onStartFrom={startFrom}
          onRestore={(id) => {
            const run = (): void => void doc.restore(id).then(() => setNote(`Restored version #${id} as the current ground truth.`));
            if (!askThen(`Restore version #${id}? Your edits are not saved.`, run)) run();
          }}
          segment={
            <SegmentPanel
              imageId={imageId}
              runToken={segmentRun}
              onResult={(v) => {
                void doc.reloadVersions();
                setProposal(v);
                setLayers((l) => ({ ...l, secondId: v.id }));
              }}
              onMessage={setNote}
            />
          }
        />
      </div>
      {help && <ShortcutHelp onClose={() => setHelp(false)} preset={prefs.shortcutPreset} />}
      {prompt && (
        <LeavePrompt
          title={prompt.title}
          saving={doc.saving}
          onSave={async () => {
            const outcome = await doc.save('leave');
            if (outcome === 'saved' || outcome === 'unchanged') {
              const p = prompt;
              setPrompt(null);
              p.proceed();
            }
          }}
          onDiscard={() => {
            const p = prompt;
            doc.discard();
            setPrompt(null);
            p.proceed();
          }}
          onCancel={() => setPrompt(null)}
          error={doc.saveError}
        />
      )}
    </div>
  );
}
