// Issue 15.1: an uncorrected prediction never becomes ground truth without an explicit accept.
import { describe, expect, it } from 'vitest';
import type { ImageSummary, LabelMap, MaskVersionInfo } from '../../shared/domain';
import { EditorDocumentModel, type DocumentApi } from './document';
import { drag } from './test-utils';

const W = 8;
const H = 6;
const image: ImageSummary = {
  id: 1, hash: 'h', name: 'a.png', path: '/a.png', width: W, height: H, format: 'png', difficulty: null, split: 'train', tags: [],
  sequenceId: null, frameIndex: null, maskKinds: ['prediction'], corrected: false, review: 'draft', importedAt: '2024-01-01T00:00:00Z',
};

function fakeApi(initial: { kind: MaskVersionInfo['kind']; source: string; fill: number }[]) {
  const stored: { info: MaskVersionInfo; map: LabelMap }[] = [];
  const saves: { parentId: number | null; note?: string; labels: Uint8Array }[] = [];
  let t = 0;
  const add = (kind: MaskVersionInfo['kind'], source: string, map: LabelMap, parentId: number | null, note: string | null): MaskVersionInfo => {
    for (const s of stored) if (s.info.kind === kind && s.info.source === source) s.info.isCurrent = false;
    const info: MaskVersionInfo = { id: stored.length + 1, imageId: 1, kind, source, author: 't', createdAt: new Date(Date.UTC(2024, 0, 1, 0, 0, t++)).toISOString(), parentId, modelId: null, note, backend: null, isCurrent: true };
    stored.push({ info, map });
    return { ...info };
  };
  for (const v of initial) add(v.kind, v.source, { width: W, height: H, labels: new Uint8Array(W * H).fill(v.fill) }, null, null);
  const api: DocumentApi = {
    versions: async () => stored.map((s) => ({ ...s.info })),
    load: async (id) => {
      const m = stored[id - 1].map;
      return { width: m.width, height: m.height, labels: m.labels.slice() };
    },
    save: async (req) => {
      saves.push({ parentId: req.parentId, note: req.note, labels: req.labels });
      return add('ground-truth', 'hand-edited', { width: W, height: H, labels: req.labels.slice() }, req.parentId, req.note ?? null);
    },
    restore: async (id) => {
      const old = stored[id - 1];
      return add('ground-truth', 'hand-edited', old.map, id, `restored from version ${id} (${old.info.kind}, ${old.info.source})`);
    },
  };
  return { api, saves, stored };
}

async function opened(initial: Parameters<typeof fakeApi>[0]) {
  const f = fakeApi(initial);
  const doc = new EditorDocumentModel(1, f.api);
  await doc.open(image);
  return { doc, ...f };
}

describe('editor document (no silent ground truth)', () => {
  it('starting from a prediction is not an edit: leaving, autosave and Ctrl+S store nothing', async () => {
    const { doc, saves } = await opened([{ kind: 'prediction', source: 'default@1', fill: 1 }]);
    expect(doc.start?.kind).toBe('prediction');
    expect(doc.dirty).toBe(false);
    expect(await doc.save('leave')).toBe('unchanged');
    expect(await doc.save('auto')).toBe('unchanged');
    expect(await doc.save('manual')).toBe('unchanged');
    expect(saves).toHaveLength(0);
    expect(doc.canAccept).toBe(true);
  });

  it('choosing another starting mask keeps the session clean', async () => {
    const { doc, saves } = await opened([
      { kind: 'ground-truth', source: 'imported', fill: 2 },
      { kind: 'prediction', source: 'default@1', fill: 1 },
    ]);
    expect(doc.start?.kind).toBe('ground-truth');
    expect(doc.canAccept).toBe(false);
    await doc.startFrom({ key: 'v2', label: 'prediction: default@1', versionId: 2, kind: 'prediction', source: 'default@1' });
    expect(doc.session?.buf.labels[0]).toBe(1);
    expect(doc.dirty).toBe(false);
    expect(await doc.save('leave')).toBe('unchanged');
    expect(saves).toHaveLength(0);
  });

  it('accept stores an unedited prediction with its provenance', async () => {
    const { doc, saves, stored } = await opened([{ kind: 'prediction', source: 'default@1', fill: 1 }]);
    expect(await doc.save('accept')).toBe('saved');
    expect(saves).toHaveLength(1);
    expect(saves[0].parentId).toBe(1);
    expect(saves[0].note).toBe('accepted unchanged: prediction: default@1 #1');
    expect(stored[1].info.kind).toBe('ground-truth');
    // Now it is the current ground truth: accepting again stores nothing.
    await doc.reloadVersions();
    expect(doc.canAccept).toBe(false);
    expect(await doc.save('accept')).toBe('unchanged');
  });

  it('real edits make the session dirty; discard goes back to the start; saving records the source', async () => {
    const { doc, saves } = await opened([{ kind: 'prediction', source: 'default@1', fill: 1 }]);
    const s = doc.session!;
    s.setTool('brush');
    s.setClass(2);
    s.setBrushSize(2);
    drag(s, [[1, 1], [5, 1]]);
    expect(doc.dirty).toBe(true);
    doc.discard();
    expect(doc.dirty).toBe(false);
    expect([...s.buf.labels].every((v) => v === 1)).toBe(true);
    drag(s, [[1, 1], [5, 1]]);
    expect(await doc.save('manual')).toBe('saved');
    expect(saves[0].note).toBe('edited from prediction: default@1 #1');
    expect(saves[0].parentId).toBe(1);
    expect(doc.dirty).toBe(false);
    expect(doc.start?.kind).toBe('ground-truth');
  });

  it('restore records the version it restores and leaves the session clean', async () => {
    const { doc, stored } = await opened([
      { kind: 'ground-truth', source: 'imported', fill: 2 },
      { kind: 'ground-truth', source: 'imported', fill: 1 },
    ]);
    await doc.restore(1);
    const last = stored.at(-1)!.info;
    expect(last.parentId).toBe(1);
    expect(last.note).toMatch(/restored from version 1/);
    expect(doc.dirty).toBe(false);
    expect(doc.session?.buf.labels[0]).toBe(2);
    expect(stored).toHaveLength(3);
  });
});
