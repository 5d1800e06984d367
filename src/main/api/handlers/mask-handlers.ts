import type { HandlerGroup } from '../handler-types';
import { SOURCE } from '../../../shared/domain';
import { userName } from '../user-name';
import type { Project } from '../../project/project';

/**
 * A save whose labels equal its parent prediction's (or baseline's) is an accepted, not a
 * corrected, mask: decided here from the stored versions, whatever the client claims, so
 * "corrected" counts and `train --images corrected` only ever see real corrections.
 */
function acceptedUnchanged(p: Project, parentId: number | null, labels: Uint8Array): boolean {
  if (parentId === null) return false;
  const parent = p.masks.info(parentId);
  if (!parent || parent.kind === 'ground-truth') return false;
  const m = p.masks.load(parentId);
  if (!m || m.labels.length !== labels.length) return false;
  for (let i = 0; i < labels.length; i++) if (m.labels[i] !== labels[i]) return false;
  return true;
}

export const maskHandlers: HandlerGroup<'masks.versions' | 'masks.current' | 'masks.load' | 'masks.save' | 'masks.restore' | 'masks.sources' | 'masks.confidence'> = {
  'masks.confidence': (req, ctx) => ctx.requireProject().masks.confidence(req.versionId),
  'masks.versions': (req, ctx) => ctx.requireProject().masks.versions(req.imageId),
  'masks.current': (req, ctx) => ctx.requireProject().masks.current(req.imageId, req.kind, req.source),
  'masks.load': (req, ctx) => {
    const m = ctx.requireProject().masks.load(req.versionId);
    if (!m) throw new Error(`no mask version ${req.versionId}`);
    return m;
  },
  'masks.save': (req, ctx) => {
    const p = ctx.requireProject();
    const img = p.images.get(req.imageId);
    if (!img) throw new Error(`no image with id ${req.imageId}`);
    if (req.labels.length !== img.width * img.height) throw new Error(`label map has ${req.labels.length} pixels; image ${img.name} has ${img.width * img.height}`);
    if (req.labels.some((v) => v > 3)) throw new Error('label map holds values outside 0-3 (background, cytoplasm, nucleus, edge)');
    const id = p.masks.append({
      imageId: req.imageId, kind: 'ground-truth', source: acceptedUnchanged(p, req.parentId, req.labels) ? SOURCE.accepted : SOURCE.handEdited, author: userName(), parentId: req.parentId,
      mask: { width: img.width, height: img.height, labels: req.labels, instances: req.instances }, note: req.note ?? null,
    });
    ctx.emit({ type: 'images-changed', ids: [req.imageId] });
    return p.masks.info(id)!;
  },
  'masks.restore': (req, ctx) => {
    const p = ctx.requireProject();
    const old = p.masks.info(req.versionId);
    const mask = p.masks.load(req.versionId);
    if (!old || !mask) throw new Error(`no mask version ${req.versionId}`);
    // Restoring appends a copy as new ground truth: history only ever grows.
    const id = p.masks.append({
      imageId: old.imageId, kind: 'ground-truth', source: SOURCE.handEdited, author: userName(), parentId: old.id, mask,
      note: `restored from version ${old.id} (${old.kind}, ${old.source})`,
    });
    ctx.emit({ type: 'images-changed', ids: [old.imageId] });
    return p.masks.info(id)!;
  },
  'masks.sources': (_req, ctx) => ctx.requireProject().masks.sources(),
};
