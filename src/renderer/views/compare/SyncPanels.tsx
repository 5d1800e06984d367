// Side-by-side panels with one shared zoom/pan: wheel zooms at the cursor, drag pans,
// double-click fits. Every panel is a canvas at image resolution scaled by CSS.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

export interface View {
  scale: number;
  x: number;
  y: number;
}

export interface PanelSpec {
  key: string;
  title: string;
  caption?: ReactNode;
  draw: ((ctx: CanvasRenderingContext2D) => void) | null;
  testId: string;
}

function PanelCanvas({ spec, width, height, view }: { spec: PanelSpec; width: number; height: number; view: View }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, width, height);
    spec.draw?.(ctx);
  }, [spec.draw, width, height]);
  return (
    <canvas
      ref={ref}
      width={width}
      height={height}
      className="sync-canvas"
      style={{ transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})` }}
    />
  );
}

export function SyncPanels({ panels, width, height }: { panels: PanelSpec[]; width: number; height: number }) {
  const [view, setView] = useState<View>({ scale: 1, x: 0, y: 0 });
  const probe = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; vx: number; vy: number } | null>(null);

  const fit = useCallback(() => {
    const el = probe.current;
    if (!el || !width) return;
    const s = Math.min(el.clientWidth / width, el.clientHeight / height);
    setView({ scale: s, x: (el.clientWidth - width * s) / 2, y: (el.clientHeight - height * s) / 2 });
  }, [width, height]);

  useLayoutEffect(() => {
    fit();
    const el = probe.current;
    if (!el) return;
    const ro = new ResizeObserver(fit);
    ro.observe(el);
    return () => ro.disconnect();
  }, [fit]);

  const onWheel = useCallback((e: WheelEvent) => {
    e.preventDefault();
    const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const cx = e.clientX - rect.left;
    const cy = e.clientY - rect.top;
    const f = Math.pow(1.0015, -(e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY));
    setView((v) => {
      const s = Math.min(64, Math.max(0.1, v.scale * f));
      return { scale: s, x: cx - ((cx - v.x) / v.scale) * s, y: cy - ((cy - v.y) / v.scale) * s };
    });
  }, []);

  const grid = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = grid.current;
    if (!el) return;
    const bodies = [...el.querySelectorAll<HTMLElement>('.sync-body')];
    bodies.forEach((b) => b.addEventListener('wheel', onWheel, { passive: false }));
    return () => bodies.forEach((b) => b.removeEventListener('wheel', onWheel));
  }, [onWheel, panels.length]);

  return (
    <div className="sync-grid" ref={grid} data-testid="compare-panels">
      {panels.map((p, i) => (
        <figure key={p.key} className="sync-panel" data-testid={p.testId}>
          <figcaption>
            <strong>{p.title}</strong>
            {p.caption && <span className="muted small">{p.caption}</span>}
          </figcaption>
          <div
            className="sync-body"
            ref={i === 0 ? probe : undefined}
            onPointerDown={(e) => {
              e.currentTarget.setPointerCapture(e.pointerId);
              drag.current = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y };
            }}
            onPointerMove={(e) => {
              const d = drag.current;
              if (d) setView((v) => ({ ...v, x: d.vx + e.clientX - d.x, y: d.vy + e.clientY - d.y }));
            }}
            onPointerUp={() => (drag.current = null)}
            onDoubleClick={fit}
          >
            {p.draw ? <PanelCanvas spec={p} width={width} height={height} view={view} /> : <div className="center muted small">no mask</div>}
          </div>
        </figure>
      ))}
    </div>
  );
}
