// The Konva canvas of the editor. Layers: image, mask overlay (class colours, opacity,
// outline mode), optional second overlay, tool previews. Painting never re-creates Konva
// nodes: tools edit the session's label map, and only the touched rectangle is re-coloured
// into an offscreen ImageData and blitted to the overlay canvas (putImageData with a dirty
// rect), then Konva redraws one image node on the next frame.
import type Konva from 'konva';
import { useCallback, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState, type Ref } from 'react';
import { Circle, Image as KImage, Layer, Line, Rect as KRect, Stage } from 'react-konva';
import type { LabelMap } from '../../../shared/domain';
import { colorize, colorizeProposal, type Rgb } from '../../editor/colorize';
import { recordLatency } from '../../editor/latency';
import { clipRect, fullRect, growRect } from '../../editor/mask-buffer';
import type { EditorSession } from '../../editor/session';
import type { ToolPointer } from '../../editor/tools';

export interface CanvasHandle {
  fit(): void;
  zoom(factor: number): void;
  /** Current zoom (screen px per image px). */
  scale(): number;
}

export interface CursorInfo {
  x: number;
  y: number;
  label: number;
  instance: number;
}

interface Props {
  session: EditorSession;
  imageUrl: string;
  opacity: number;
  outline: boolean;
  /** Outline thickness in mask pixels. */
  outlineWidth: number;
  palette: readonly Rgb[];
  maskVisible: boolean;
  second: LabelMap | null;
  secondColor: Rgb;
  /** Onion skin: the previous frame's mask as translucent outlines over the edited mask (null: off). */
  onion?: LabelMap | null;
  handle: Ref<CanvasHandle>;
  onCursor?: (c: CursorInfo | null) => void;
  onZoom?: (scale: number) => void;
}

function offscreen(w: number, h: number): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D; data: ImageData } {
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas is not available');
  return { canvas, ctx, data: ctx.createImageData(w, h) };
}

const PAINT_TOOLS = new Set(['brush', 'eraser']);
// The onion skin's colour: cyan reads on grey films, yellow smears and purple stains, and is
// no class colour; the layer's opacity makes it translucent.
const ONION_COLOR: Rgb = [0, 229, 255];
// Stable references: react-konva re-applies props whose value changed identity.
const PATH_DASH = [6, 4];
const PENDING_DASH = [4, 4];

export function MaskCanvas(props: Props) {
  const { session } = props;
  const { width: W, height: H } = session.buf;
  const wrapRef = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const maskLayer = useRef<Konva.Layer>(null);
  const toolLayer = useRef<Konva.Layer>(null);
  const pathRef = useRef<Konva.Line>(null);
  const pathHaloRef = useRef<Konva.Line>(null);
  const anchorRef = useRef<Konva.Circle>(null);
  const anchorHaloRef = useRef<Konva.Circle>(null);
  const boxRef = useRef<Konva.Rect>(null);
  const proposalRef = useRef<Konva.Image>(null);
  const pendingRef = useRef<Konva.Circle>(null);
  const cursorRef = useRef<Konva.Circle>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const [image, setImage] = useState<HTMLImageElement | null>(null);
  const [imageError, setImageError] = useState(false);
  const pan = useRef<{ x: number; y: number; sx: number; sy: number } | null>(null);
  const space = useRef(false);
  const pointerInside = useRef(false);
  const lastPointer = useRef<{ x: number; y: number } | null>(null);
  const fitted = useRef(false);
  // While true the view follows the window: a resize fits the image again. Zooming or
  // panning by hand turns it off; Fit turns it back on.
  const autoFit = useRef(true);

  const mask = useMemo(() => offscreen(W, H), [W, H]);
  const second = useMemo(() => offscreen(W, H), [W, H]);
  const onion = useMemo(() => offscreen(W, H), [W, H]);
  const proposal = useMemo(() => ({ ...offscreen(W, H), map: null as LabelMap | null }), [W, H]);

  // Latest render options for the imperative paths.
  const opts = useRef({ outline: props.outline, outlineWidth: props.outlineWidth, palette: props.palette });
  opts.current = { outline: props.outline, outlineWidth: props.outlineWidth, palette: props.palette };

  // ---- image ------------------------------------------------------------------------------
  useEffect(() => {
    const img = new window.Image();
    let live = true;
    setImageError(false);
    img.onload = () => live && setImage(img);
    img.onerror = () => live && setImageError(true);
    img.src = props.imageUrl;
    return () => {
      live = false;
    };
  }, [props.imageUrl]);

  // ---- container size -------------------------------------------------------------------
  useLayoutEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    setSize({ w: el.clientWidth, h: el.clientHeight });
    return () => ro.disconnect();
  }, []);

  const stageReady = size.w > 0;

  // ---- view transform ---------------------------------------------------------------------
  const setPickRadius = useCallback(() => {
    const s = stageRef.current?.scaleX() ?? 1;
    session.pickRadius = 8 / s;
  }, [session]);

  const fit = useCallback(() => {
    const st = stageRef.current;
    const el = wrapRef.current;
    if (!st || !el || el.clientWidth === 0) return;
    const s = Math.min(el.clientWidth / W, el.clientHeight / H) * 0.94;
    st.scale({ x: s, y: s });
    st.position({ x: (el.clientWidth - W * s) / 2, y: (el.clientHeight - H * s) / 2 });
    st.batchDraw();
    setPickRadius();
    autoFit.current = true;
    props.onZoom?.(s);
  }, [W, H, setPickRadius, props.onZoom]);

  const zoomAt = useCallback(
    (factor: number, sx?: number, sy?: number) => {
      const st = stageRef.current;
      const el = wrapRef.current;
      if (!st || !el) return;
      const old = st.scaleX();
      const next = Math.min(64, Math.max(0.05, old * factor));
      const cx = sx ?? el.clientWidth / 2;
      const cy = sy ?? el.clientHeight / 2;
      const ix = (cx - st.x()) / old;
      const iy = (cy - st.y()) / old;
      st.scale({ x: next, y: next });
      st.position({ x: cx - ix * next, y: cy - iy * next });
      st.batchDraw();
      setPickRadius();
      autoFit.current = false;
      props.onZoom?.(next);
    },
    [setPickRadius, props.onZoom],
  );

  useImperativeHandle(props.handle, () => ({ fit, zoom: (f) => zoomAt(f), scale: () => stageRef.current?.scaleX() ?? 1 }), [fit, zoomAt]);

  useEffect(() => {
    if (size.w > 0 && (!fitted.current || autoFit.current)) {
      fitted.current = true;
      fit();
    }
  }, [size, fit]);

  // ---- mask blit ----------------------------------------------------------------------------
  const blit = useCallback((): boolean => {
    const dirty = session.takeDirty();
    if (!dirty) return false;
    const r = clipRect(growRect(dirty, 1), session.buf);
    if (!r) return false;
    colorize(session.buf, mask.data.data, r, { outline: opts.current.outline, outlineWidth: opts.current.outlineWidth, palette: opts.current.palette, selected: session.selectedInstance });
    mask.ctx.putImageData(mask.data, 0, 0, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
    maskLayer.current?.batchDraw();
    return true;
  }, [session, mask]);

  // Re-colour everything when the outline mode, width or palette changes.
  useEffect(() => {
    session.touched(fullRect(session.buf));
    blit();
  }, [props.outline, props.outlineWidth, props.palette, session, blit]);

  // ---- second overlay ---------------------------------------------------------------------
  useEffect(() => {
    second.ctx.clearRect(0, 0, W, H);
    if (props.second && props.second.width === W && props.second.height === H) {
      colorize(props.second, second.data.data, fullRect(props.second), { outline: true, color: props.secondColor });
      second.ctx.putImageData(second.data, 0, 0);
    }
    maskLayer.current?.getStage()?.batchDraw();
  }, [props.second, props.secondColor, second, W, H]);

  // ---- onion skin (previous frame) ------------------------------------------------------------
  useEffect(() => {
    onion.ctx.clearRect(0, 0, W, H);
    if (props.onion && props.onion.width === W && props.onion.height === H) {
      colorize(props.onion, onion.data.data, fullRect(props.onion), { outline: true, outlineWidth: Math.max(1, props.outlineWidth), color: ONION_COLOR });
      onion.ctx.putImageData(onion.data, 0, 0);
    }
    maskLayer.current?.getStage()?.batchDraw();
  }, [props.onion, props.outlineWidth, onion, W, H]);

  // ---- tool previews ------------------------------------------------------------------------
  const updateOverlay = useCallback(() => {
    const ov = session.activeTool.overlay();
    const path = pathRef.current;
    const pathHalo = pathHaloRef.current;
    const anchor = anchorRef.current;
    const anchorHalo = anchorHaloRef.current;
    const box = boxRef.current;
    const prop = proposalRef.current;
    const pending = pendingRef.current;
    if (!path || !pathHalo || !anchor || !anchorHalo || !box || !prop || !pending) return;
    path.visible(ov?.kind === 'path');
    pathHalo.visible(ov?.kind === 'path');
    anchor.visible(ov?.kind === 'path' && ov.anchor);
    anchorHalo.visible(ov?.kind === 'path' && ov.anchor);
    box.visible(ov?.kind === 'box');
    prop.visible(ov?.kind === 'proposal');
    pending.visible(ov?.kind === 'pending');
    if (ov?.kind === 'path') {
      path.points(ov.points);
      path.closed(ov.closed);
      pathHalo.points(ov.points);
      pathHalo.closed(ov.closed);
      anchor.position({ x: ov.points[0], y: ov.points[1] });
      anchor.radius(session.pickRadius);
      anchorHalo.position({ x: ov.points[0], y: ov.points[1] });
      anchorHalo.radius(session.pickRadius);
    } else if (ov?.kind === 'box') {
      box.setAttrs({ x: ov.x, y: ov.y, width: ov.width, height: ov.height });
    } else if (ov?.kind === 'proposal' && proposal.map !== ov.map) {
      proposal.map = ov.map;
      colorizeProposal(ov.map, proposal.data.data, opts.current.palette);
      proposal.ctx.putImageData(proposal.data, 0, 0);
    } else if (ov?.kind === 'pending') {
      pending.position({ x: ov.x, y: ov.y });
      pending.radius(10 / (stageRef.current?.scaleX() ?? 1));
    }
    toolLayer.current?.batchDraw();
  }, [session, proposal]);

  const updateCursor = useCallback(() => {
    const c = cursorRef.current;
    if (!c) return;
    const p = lastPointer.current;
    const show = !!p && pointerInside.current && PAINT_TOOLS.has(session.toolId) && !space.current;
    c.visible(show);
    if (p) {
      c.position(p);
      c.radius(Math.max(session.brushSize / 2, 0.5));
    }
    toolLayer.current?.batchDraw();
  }, [session]);

  useEffect(
    () =>
      session.subscribe(() => {
        blit();
        updateOverlay();
        updateCursor();
      }),
    [session, blit, updateOverlay, updateCursor],
  );
  useEffect(() => {
    blit();
    updateOverlay();
    updateCursor();
  }, [blit, updateOverlay, updateCursor, image, stageReady]);

  // ---- input --------------------------------------------------------------------------------
  const toImage = (clientX: number, clientY: number): { x: number; y: number } => {
    const st = stageRef.current;
    const rect = wrapRef.current?.getBoundingClientRect();
    if (!st || !rect) return { x: 0, y: 0 };
    return { x: (clientX - rect.left - st.x()) / st.scaleX(), y: (clientY - rect.top - st.y()) / st.scaleY() };
  };
  const pointerOf = (e: PointerEvent | React.PointerEvent, button: number): ToolPointer => ({
    ...toImage(e.clientX, e.clientY),
    button,
    shift: e.shiftKey,
    ctrl: e.ctrlKey || e.metaKey,
    alt: e.altKey,
  });
  const afterInput = (eventTime: number, t0: number): void => {
    if (!blit()) return;
    const handlerMs = performance.now() - t0;
    requestAnimationFrame(() => recordLatency(performance.now() - eventTime, handlerMs));
  };
  const reportCursor = (x: number, y: number): void => {
    if (!props.onCursor) return;
    const ix = Math.floor(x);
    const iy = Math.floor(y);
    if (ix < 0 || iy < 0 || ix >= W || iy >= H) props.onCursor(null);
    else props.onCursor({ x: ix, y: iy, label: session.buf.labels[iy * W + ix], instance: session.buf.instances[iy * W + ix] });
  };

  const buttonDown = useRef(-1);
  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>): void => {
    const t0 = performance.now();
    wrapRef.current?.focus();
    const st = stageRef.current;
    if (!st) return;
    if (e.button === 1 || space.current) {
      pan.current = { x: e.clientX, y: e.clientY, sx: st.x(), sy: st.y() };
      e.currentTarget.setPointerCapture(e.pointerId);
      return;
    }
    if (e.button !== 0 && e.button !== 2) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    buttonDown.current = e.button;
    session.pointerDown(pointerOf(e, e.button));
    afterInput(e.timeStamp, t0);
  };

  const onPointerMove = (e: React.PointerEvent<HTMLDivElement>): void => {
    const t0 = performance.now();
    const st = stageRef.current;
    if (!st) return;
    if (pan.current) {
      st.position({ x: pan.current.sx + e.clientX - pan.current.x, y: pan.current.sy + e.clientY - pan.current.y });
      st.batchDraw();
      autoFit.current = false;
      return;
    }
    const native = e.nativeEvent;
    // While painting, use every coalesced sample so fast strokes follow the hand exactly.
    const samples = buttonDown.current >= 0 && typeof native.getCoalescedEvents === 'function' ? native.getCoalescedEvents() : [];
    const list = samples.length ? samples : [native];
    for (const s of list) session.pointerMove(pointerOf(s, buttonDown.current >= 0 ? buttonDown.current : 0));
    const p = toImage(e.clientX, e.clientY);
    lastPointer.current = p;
    pointerInside.current = true;
    updateCursor();
    reportCursor(p.x, p.y);
    afterInput(e.timeStamp, t0);
  };

  const onPointerUp = (e: React.PointerEvent<HTMLDivElement>): void => {
    const t0 = performance.now();
    if (pan.current) {
      pan.current = null;
      return;
    }
    if (buttonDown.current < 0) return;
    const button = buttonDown.current;
    buttonDown.current = -1;
    session.pointerUp(pointerOf(e, button));
    afterInput(e.timeStamp, t0);
  };

  // Wheel zoom needs a non-passive listener to stop the page from scrolling.
  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const rect = el.getBoundingClientRect();
      const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      zoomAt(Math.pow(1.0015, -delta), e.clientX - rect.left, e.clientY - rect.top);
      updateOverlay();
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [zoomAt, updateOverlay]);

  // Space held = pan mode.
  useEffect(() => {
    const typing = (t: EventTarget | null): boolean => t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;
    const down = (e: KeyboardEvent): void => {
      if (e.code === 'Space' && !typing(e.target)) {
        e.preventDefault();
        if (!space.current) {
          space.current = true;
          if (wrapRef.current) wrapRef.current.style.cursor = 'grab';
          updateCursor();
        }
      }
    };
    const up = (e: KeyboardEvent): void => {
      if (e.code === 'Space') {
        space.current = false;
        if (wrapRef.current) wrapRef.current.style.cursor = '';
        updateCursor();
      }
    };
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
    };
  }, [updateCursor]);

  const cursorClass = `tool-${session.toolId}`;
  return (
    <div
      ref={wrapRef}
      className={`mask-canvas ${cursorClass}`}
      tabIndex={0}
      data-testid="editor-canvas"
      data-image-width={W}
      data-image-height={H}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onPointerLeave={() => {
        pointerInside.current = false;
        updateCursor();
        props.onCursor?.(null);
      }}
      onContextMenu={(e) => e.preventDefault()}
    >
      {imageError && <div className="canvas-note">The image could not be loaded.</div>}
      {size.w > 0 && (
        <Stage ref={stageRef} width={size.w} height={size.h} listening={false}>
          <Layer imageSmoothingEnabled={false} listening={false}>
            <KRect x={0} y={0} width={W} height={H} fill="#000" />
            {image && <KImage image={image} x={0} y={0} width={W} height={H} />}
          </Layer>
          <Layer ref={maskLayer} imageSmoothingEnabled={false} listening={false} opacity={props.opacity} visible={props.maskVisible}>
            <KImage image={mask.canvas} x={0} y={0} width={W} height={H} />
          </Layer>
          {/* Above the edited mask, so its outlines show through a filled overlay. */}
          <Layer imageSmoothingEnabled={false} listening={false} opacity={0.65} visible={!!props.onion}>
            <KImage image={onion.canvas} x={0} y={0} width={W} height={H} />
          </Layer>
          <Layer imageSmoothingEnabled={false} listening={false} visible={!!props.second}>
            <KImage image={second.canvas} x={0} y={0} width={W} height={H} />
          </Layer>
          <Layer ref={toolLayer} imageSmoothingEnabled={false} listening={false}>
            {/* Tool previews are driven imperatively (see updateOverlay); their changing
                attributes are deliberately not React props, so re-renders never reset them. */}
            <KImage ref={proposalRef} image={proposal.canvas} x={0} y={0} width={W} height={H} />
            {/* The preview is a bright dashed line over a solid dark halo: it reads on yellow,
                white and purple backgrounds alike. */}
            <Line ref={pathHaloRef} stroke="#000000" opacity={0.75} strokeWidth={4.5} strokeScaleEnabled={false} lineJoin="round" lineCap="round" fill="rgba(0,0,0,0.12)" />
            <Line ref={pathRef} stroke="#00e5ff" strokeWidth={2} strokeScaleEnabled={false} dash={PATH_DASH} lineJoin="round" />
            <Circle ref={anchorHaloRef} stroke="#000000" opacity={0.75} strokeWidth={4.5} strokeScaleEnabled={false} />
            <Circle ref={anchorRef} stroke="#00e5ff" strokeWidth={2} strokeScaleEnabled={false} />
            <KRect ref={boxRef} stroke="#ffffff" strokeWidth={1.5} strokeScaleEnabled={false} dash={PATH_DASH} />
            <Circle ref={pendingRef} stroke="#ffffff" strokeWidth={2} strokeScaleEnabled={false} dash={PENDING_DASH} />
            <Circle ref={cursorRef} stroke="#ffffff" strokeWidth={1} strokeScaleEnabled={false} shadowColor="#000" shadowBlur={2} shadowOpacity={0.9} />
          </Layer>
        </Stage>
      )}
    </div>
  );
}
