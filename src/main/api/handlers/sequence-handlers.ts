import type { HandlerGroup } from '../handler-types';
import { FRAME_SPLITS } from '../../../shared/domain';

/** Image sequences: list them, serve a sequence's frames in order, set a sequence's split, the previous frame's mask. */
export const sequenceHandlers: HandlerGroup<'sequences.list' | 'sequences.frames' | 'sequences.setSplit' | 'sequences.previousMask'> = {
  'sequences.list': (_req, ctx) => ctx.requireProject().sequences.list(),
  'sequences.frames': (req, ctx) => {
    const project = ctx.requireProject();
    const sequence = project.sequences.get(req.id);
    if (!sequence) throw new Error(`no sequence with id ${req.id}`);
    // images.list orders a sequence's frames by frame index.
    return { sequence, frames: project.images.list({ sequenceId: req.id }) };
  },
  'sequences.setSplit': (req, ctx) => {
    if (!(FRAME_SPLITS as readonly string[]).includes(req.split)) throw new Error(`split must be one of ${FRAME_SPLITS.join(', ')}, got ${String(req.split)}`);
    const project = ctx.requireProject();
    if (!project.sequences.get(req.id)) throw new Error(`no sequence with id ${req.id}`);
    const info = project.sequences.setSplit(req.id, req.split);
    ctx.emit({ type: 'images-changed', ids: project.sequences.frameIds(req.id) });
    return info;
  },
  'sequences.previousMask': (req, ctx) => {
    const project = ctx.requireProject();
    if (!project.images.get(req.imageId)) throw new Error(`no image with id ${req.imageId}`);
    const prev = project.sequences.previousFrame(req.imageId);
    if (!prev) return null;
    // Ground truth first (what the user labelled); a prediction is the next best start.
    const version = project.masks.current(prev.imageId, 'ground-truth') ?? project.masks.current(prev.imageId, 'prediction');
    const mask = version ? project.masks.load(version.id) : null;
    return { ...prev, version: mask ? version : null, mask };
  },
};
