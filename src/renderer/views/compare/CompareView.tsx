// Compare: image, truth, source A and B with overlays, and their difference images, with
// synchronized zoom/pan; below, the N-way comparison of any number of sources on one image
// set (ComparisonPanel), whose grid opens an image here.
import { useEffect, useMemo } from 'react';
import type { LabelMap } from '../../../shared/domain';
import { colorize } from '../../editor/colorize';
import { confusionIoU, differenceImage, differenceSummary, labelConfusion } from '../../../shared/core/difference-image';
import { pct } from '../../components/format';
import { api } from '../../state/api';
import { useAsync } from '../../state/async';
import { browseOrder, useImages } from '../../state/images';
import { navigate } from '../../state/nav';
import { onProjectChange } from '../../state/project';
import { createStore, useStore } from '../../state/store';
import { ComparisonPanel } from './ComparisonPanel';
import { defaultPair, evalName, parseSourceKey, sourceKey, sourceLabel, sourceOptions, type SourceRef } from './sources';
import { SyncPanels, type PanelSpec } from './SyncPanels';
import { useCompareMasks } from './useCompareMasks';

interface CompareSettings {
  truth: SourceRef;
  a: SourceRef | null;
  b: SourceRef | null;
  mode: 'binary' | 'multiclass';
}

const INITIAL: CompareSettings = { truth: { kind: 'ground-truth' }, a: null, b: null, mode: 'multiclass' };
const settings = createStore<CompareSettings>(INITIAL);
// Sources and evaluations belong to one project.
onProjectChange(() => settings.set((s) => ({ ...INITIAL, mode: s.mode })));

function overlayDraw(image: HTMLImageElement | null, map: LabelMap | null): ((ctx: CanvasRenderingContext2D) => void) | null {
  if (!map) return null;
  return (ctx) => {
    if (image) ctx.drawImage(image, 0, 0, map.width, map.height);
    const off = document.createElement('canvas');
    off.width = map.width;
    off.height = map.height;
    const octx = off.getContext('2d');
    if (!octx) return;
    const data = octx.createImageData(map.width, map.height);
    colorize(map, data.data, { x0: 0, y0: 0, x1: map.width, y1: map.height }, { outline: false });
    octx.putImageData(data, 0, 0);
    ctx.globalAlpha = 0.5;
    ctx.drawImage(off, 0, 0);
    ctx.globalAlpha = 1;
  };
}

function SourceSelect(props: { value: SourceRef | null; options: { ref: SourceRef; label: string; images: number }[]; onChange: (s: SourceRef | null) => void; allowNone?: boolean; testId: string }) {
  return (
    <select value={props.value ? sourceKey(props.value) : ''} onChange={(e) => props.onChange(e.target.value ? parseSourceKey(e.target.value) : null)} data-testid={props.testId}>
      {props.allowNone && <option value="">none</option>}
      {props.value && !props.options.some((o) => sourceKey(o.ref) === sourceKey(props.value as SourceRef)) && <option value={sourceKey(props.value)}>{sourceLabel(props.value)}</option>}
      {props.options.map((o) => (
        <option key={sourceKey(o.ref)} value={sourceKey(o.ref)}>
          {o.label} ({o.images})
        </option>
      ))}
    </select>
  );
}

export function CompareView({ imageId, projectPath }: { imageId: number | null; projectPath: string }) {
  const s = useStore(settings);
  const set = (patch: Partial<CompareSettings>): void => settings.set((v) => ({ ...v, ...patch }));
  const sources = useAsync(() => api.call('masks.sources'), []);
  const options = useMemo(() => sourceOptions(sources.data ?? []), [sources.data]);
  const { images, byId } = useImages(projectPath);

  // Defaults once the sources are known.
  useEffect(() => {
    if (!sources.data || s.a || s.b) return;
    const d = defaultPair(sources.data);
    if (d.a || d.b) set({ a: d.a, b: d.b });
  }, [sources.data]);

  // No image chosen: take the first of the gallery order.
  useEffect(() => {
    if (imageId === null) {
      const first = browseOrder.get()[0] ?? images[0]?.id;
      if (first) navigate('compare', first);
    }
  }, [imageId, images]);

  const data = useCompareMasks(imageId, s.truth, s.a, s.b);
  const width = data.truth.map?.width ?? data.a.map?.width ?? data.image?.naturalWidth ?? 0;
  const height = data.truth.map?.height ?? data.a.map?.height ?? data.image?.naturalHeight ?? 0;

  const panels: PanelSpec[] = useMemo(() => {
    const { image, truth, a, b } = data;
    const diff = (pred: LabelMap | null) => {
      if (!truth.map || !pred) return { draw: null, caption: undefined };
      // The same image the evaluation files and the web host's diff/ route paint (shared/core).
      const d = differenceImage(truth.map, pred, s.mode);
      const draw = (ctx: CanvasRenderingContext2D): void => {
        const img = ctx.createImageData(pred.width, pred.height);
        for (let i = 0, o = 0; i < d.data.length; i += 3, o += 4) {
          img.data[o] = d.data[i];
          img.data[o + 1] = d.data[i + 1];
          img.data[o + 2] = d.data[i + 2];
          img.data[o + 3] = 255;
        }
        ctx.putImageData(img, 0, 0);
      };
      const c = differenceSummary(labelConfusion(truth.map, pred));
      const caption = s.mode === 'binary' ? `FP ${c.fp} · FN ${c.fn} px` : `${c.wrong} px wrong (${pct(c.wrong / c.total)})`;
      return { draw, caption };
    };
    const score = (m: LabelMap | null): string | undefined => {
      if (!m || !truth.map) return undefined;
      const c = labelConfusion(truth.map, m);
      const parts = [['cell', confusionIoU(c, 'cell')], ['cyto', confusionIoU(c, 'cytoplasm')], ['nucl', confusionIoU(c, 'nucleus')]] as const;
      return parts.filter(([, v]) => v !== null).map(([k, v]) => `IoU ${k} ${pct(v, 1)}`).join(' · ');
    };
    const dA = diff(a.map);
    const dB = diff(b.map);
    return [
      { key: 'image', title: 'Image', draw: image ? (ctx: CanvasRenderingContext2D) => ctx.drawImage(image, 0, 0, width, height) : null, testId: 'compare-image' },
      { key: 'truth', title: sourceLabel(s.truth), caption: truth.version ? `#${truth.version.id} ${truth.version.source}` : 'none', draw: overlayDraw(image, truth.map), testId: 'compare-truth' },
      { key: 'a', title: `A: ${s.a ? sourceLabel(s.a) : '–'}`, caption: score(a.map), draw: overlayDraw(image, a.map), testId: 'compare-a' },
      { key: 'b', title: `B: ${s.b ? sourceLabel(s.b) : '–'}`, caption: score(b.map), draw: overlayDraw(image, b.map), testId: 'compare-b' },
      { key: 'da', title: 'Difference A vs truth', caption: dA.caption, draw: dA.draw, testId: 'compare-diff-a' },
      { key: 'db', title: 'Difference B vs truth', caption: dB.caption, draw: dB.draw, testId: 'compare-diff-b' },
    ];
  }, [data, s.mode, s.truth, s.a, s.b, width, height]);

  const go = (dir: 1 | -1): void => {
    const order = browseOrder.get().length ? browseOrder.get() : images.map((i) => i.id);
    const idx = imageId === null ? -1 : order.indexOf(imageId);
    const next = order[idx + dir];
    if (next) navigate('compare', next);
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
      if (e.key === '.' || e.key === 'PageDown') go(1);
      if (e.key === ',' || e.key === 'PageUp') go(-1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const image = imageId !== null ? byId.get(imageId) : undefined;

  return (
    <div className="page compare" data-testid="compare-view">
      <div className="toolbar card flat">
        <label className="inline">
          Truth
          <SourceSelect value={s.truth} options={options} onChange={(v) => v && set({ truth: v })} testId="compare-truth-source" />
        </label>
        <label className="inline">
          A
          <SourceSelect value={s.a} options={options} onChange={(v) => set({ a: v })} allowNone testId="compare-source-a" />
        </label>
        <label className="inline">
          B
          <SourceSelect value={s.b} options={options} onChange={(v) => set({ b: v })} allowNone testId="compare-source-b" />
        </label>
        <div className="segmented tight">
          <button className={s.mode === 'binary' ? 'active' : ''} onClick={() => set({ mode: 'binary' })} data-testid="compare-mode-binary">
            binary
          </button>
          <button className={s.mode === 'multiclass' ? 'active' : ''} onClick={() => set({ mode: 'multiclass' })} data-testid="compare-mode-multiclass">
            multi-class
          </button>
        </div>
        <span className="grow" />
        <button className="btn small" onClick={() => go(-1)} data-testid="compare-prev">
          ‹ Prev
        </button>
        <strong className="ellipsis" data-testid="compare-image-name">
          {image?.name ?? (imageId ? `#${imageId}` : '')}
        </strong>
        <button className="btn small" onClick={() => go(1)} data-testid="compare-next">
          Next ›
        </button>
        {imageId !== null && (
          <button className="btn small" onClick={() => navigate('editor', imageId)} data-testid="compare-edit">
            Edit
          </button>
        )}
      </div>
      {data.error && <div className="banner error">{data.error}</div>}
      {s.mode === 'binary' ? (
        <p className="legend muted small">Difference: black = correct, white = false positive, grey = false negative (cell vs background). Wheel zooms all panels, drag pans, double-click fits.</p>
      ) : (
        <p className="legend muted small">Difference: black = same class, white = different class. Wheel zooms all panels, drag pans, double-click fits.</p>
      )}
      {width > 0 && <SyncPanels panels={panels} width={width} height={height} />}
      <ComparisonPanel
        sources={sources.data ?? []}
        truth={s.truth}
        a={s.a}
        b={s.b}
        currentImage={imageId}
        onOpenImage={(id, source) => {
          // A grid cell of a source shows that source as A in the panels above.
          const info = source === null ? undefined : (sources.data ?? []).find((x) => x.kind !== 'ground-truth' && evalName({ kind: x.kind, source: x.source }) === source);
          if (info) set({ a: { kind: info.kind, source: info.source } });
          navigate('compare', id);
          document.querySelector('[data-testid=compare-panels]')?.scrollIntoView({ block: 'start' });
        }}
      />
    </div>
  );
}
