// Loads an image's editing session: its summary, its mask versions, and the starting mask
// (current ground truth, else the newest current prediction, else the baseline, else empty).
// Saves append a new ground-truth version whose parent is the version the session started
// from (or the previous save).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImageSummary, LabelMap, MaskVersionInfo } from '../../../shared/domain';
import { EditorSession } from '../../editor/session';
import { api, errorText } from '../../state/api';

export interface StartOption {
  key: string;
  label: string;
  versionId: number | null;
}

export function versionLabel(v: MaskVersionInfo): string {
  const kind = v.kind === 'ground-truth' ? 'ground truth' : v.kind;
  return v.kind === 'ground-truth' ? `${kind} (${v.source})` : `${kind}: ${v.source}`;
}

/** The current version of each (kind, source), ground truth first, newest first. */
export function currentVersions(versions: readonly MaskVersionInfo[]): MaskVersionInfo[] {
  const order = { 'ground-truth': 0, prediction: 1, baseline: 2 } as const;
  return versions.filter((v) => v.isCurrent).sort((a, b) => order[a.kind] - order[b.kind] || b.createdAt.localeCompare(a.createdAt));
}

export function startOptions(versions: readonly MaskVersionInfo[]): StartOption[] {
  return [
    ...currentVersions(versions).map((v) => ({ key: `v${v.id}`, label: versionLabel(v), versionId: v.id })),
    { key: 'empty', label: 'empty mask', versionId: null },
  ];
}

export type SaveReason = 'manual' | 'auto' | 'leave';
/** saved: a new version exists; unchanged: nothing to save; failed: see saveError; busy: a save is running. */
export type SaveOutcome = 'saved' | 'unchanged' | 'failed' | 'busy';

export interface EditorDocument {
  image: ImageSummary | null;
  versions: MaskVersionInfo[];
  session: EditorSession | null;
  startedFrom: StartOption | null;
  parentId: number | null;
  error: string | null;
  saving: boolean;
  saveError: string | null;
  lastSaved: MaskVersionInfo | null;
  save(reason: SaveReason): Promise<SaveOutcome>;
  startFrom(option: StartOption): Promise<void>;
  restore(versionId: number): Promise<void>;
  loadVersion(versionId: number): Promise<LabelMap>;
  reloadVersions(): void;
  setImage(img: ImageSummary): void;
}

export function useEditorDocument(imageId: number | null, known: ImageSummary | undefined): EditorDocument {
  const [image, setImage] = useState<ImageSummary | null>(known ?? null);
  const [versions, setVersions] = useState<MaskVersionInfo[]>([]);
  const [session, setSession] = useState<EditorSession | null>(null);
  const [startedFrom, setStartedFrom] = useState<StartOption | null>(null);
  const [parentId, setParentId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [lastSaved, setLastSaved] = useState<MaskVersionInfo | null>(null);
  const parentRef = useRef<number | null>(null);
  parentRef.current = parentId;
  const savingRef = useRef(false);

  const loadVersion = useCallback((versionId: number) => api.call('masks.load', { versionId }), []);

  const reloadVersions = useCallback(() => {
    if (imageId === null) return;
    api.call('masks.versions', { imageId }).then(setVersions, () => undefined);
  }, [imageId]);

  useEffect(() => {
    if (imageId === null) return;
    let live = true;
    setSession(null);
    setError(null);
    setSaveError(null);
    setLastSaved(null);
    (async () => {
      const [img, vs] = await Promise.all([api.call('images.get', { id: imageId }), api.call('masks.versions', { imageId })]);
      if (!live) return;
      setImage(img);
      setVersions(vs);
      const options = startOptions(vs);
      const start = options[0];
      const snap = (req: { x: number; y: number; box?: { x: number; y: number; width: number; height: number } }): Promise<LabelMap> =>
        api.call('baseline.snap', { imageId, ...req });
      let s: EditorSession;
      if (start.versionId !== null) {
        const map = await loadVersion(start.versionId);
        if (!live) return;
        s = new EditorSession(map, { snap });
      } else {
        s = new EditorSession({ width: img.width, height: img.height }, { snap });
      }
      setStartedFrom(start);
      setParentId(start.versionId);
      setSession(s);
    })().catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [imageId, loadVersion]);

  const save = useCallback(
    async (reason: SaveReason): Promise<SaveOutcome> => {
      if (!session || imageId === null) return 'failed';
      if (savingRef.current) return 'busy';
      const parent = versions.find((v) => v.id === parentRef.current);
      // Saving an untouched current ground truth would only duplicate it.
      if (!session.isDirty && (reason !== 'manual' || (parent?.kind === 'ground-truth' && parent.isCurrent))) return 'unchanged';
      savingRef.current = true;
      setSaving(true);
      const snapshot = session.currentSnapshot();
      const map = session.toLabelMap();
      try {
        const info = await api.call('masks.save', {
          imageId,
          parentId: parentRef.current,
          labels: map.labels,
          instances: map.instances,
          note: reason === 'auto' ? 'autosave' : undefined,
        });
        session.markSaved(snapshot);
        setParentId(info.id);
        parentRef.current = info.id;
        setLastSaved(info);
        setSaveError(null);
        reloadVersions();
        return 'saved';
      } catch (e) {
        setSaveError(errorText(e));
        return 'failed';
      } finally {
        savingRef.current = false;
        setSaving(false);
      }
    },
    [session, imageId, versions, reloadVersions],
  );

  const startFrom = useCallback(
    async (option: StartOption) => {
      if (!session) return;
      try {
        const map = option.versionId !== null ? await loadVersion(option.versionId) : null;
        session.replaceAll(map, `Start from ${option.label}`);
        setStartedFrom(option);
        setParentId(option.versionId);
      } catch (e) {
        setError(errorText(e));
      }
    },
    [session, loadVersion],
  );

  const restore = useCallback(
    async (versionId: number) => {
      if (!session) return;
      try {
        const info = await api.call('masks.restore', { versionId });
        const map = await loadVersion(info.id);
        session.replaceAll(map, `Restore version #${versionId}`);
        session.markSaved();
        setParentId(info.id);
        setLastSaved(info);
        setStartedFrom({ key: `v${info.id}`, label: versionLabel(info), versionId: info.id });
        reloadVersions();
      } catch (e) {
        setSaveError(errorText(e));
      }
    },
    [session, loadVersion, reloadVersions],
  );

  return { image, versions, session, startedFrom, parentId, error, saving, saveError, lastSaved, save, startFrom, restore, loadVersion, reloadVersions, setImage };
}
