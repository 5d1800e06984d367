import type { HandlerGroup } from '../handler-types';
import { FRAME_SPLITS } from '../../../shared/domain';

/** Image sequences: list them, serve a sequence's frames in order, set a sequence's split. */
export const sequenceHandlers: HandlerGroup<'sequences.list' | 'sequences.frames' | 'sequences.setSplit'> = {
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
};
