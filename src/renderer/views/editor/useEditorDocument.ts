// React binding of the editing document (editor/document.ts): one model per image, backed by
// the API; the view re-renders when the model or its session changes.
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { LabelMap } from '../../../shared/domain';
import { EditorDocumentModel, type DocumentApi } from '../../editor/document';
import { api } from '../../state/api';

export { currentVersions, startOptions, versionLabel, type SaveOutcome, type SaveReason, type StartOption } from '../../editor/document';

const documentApi: DocumentApi = {
  versions: (imageId) => api.call('masks.versions', { imageId }),
  load: (versionId) => api.call('masks.load', { versionId }),
  save: (req) => api.call('masks.save', req),
  restore: (versionId) => api.call('masks.restore', { versionId }),
};

export function useEditorDocument(imageId: number): EditorDocumentModel {
  const doc = useMemo(
    () =>
      new EditorDocumentModel(imageId, documentApi, {
        snap: (req): Promise<LabelMap> => api.call('baseline.snap', { imageId, ...req }),
      }),
    [imageId],
  );
  useSyncExternalStore(doc.subscribe, doc.getVersion);
  useEffect(() => {
    let live = true;
    (async () => {
      const img = await api.call('images.get', { id: imageId });
      if (live) await doc.open(img);
    })().catch(() => undefined);
    return () => {
      live = false;
      doc.close();
    };
  }, [doc, imageId]);
  return doc;
}
