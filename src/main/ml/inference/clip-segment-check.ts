// Main-side checks for segmenting with a clip family (no TensorFlow): which project model is
// a clip model, and the refusal of targets that are not frames of a sequence.
import type { ModelInfo, SegmentRequest } from '../../../shared/ml';
import type { Project } from '../../project/project';
import { familyOf } from '../families/registry';

/** Said for every image a clip model cannot segment because it is no frame of a sequence. */
export function notAFrameReason(family: string): string {
  return `not a frame of a sequence: a ${family} model segments image sequences frame by frame (carrying its state), so single images have no past to read`;
}

/** The project model `ref` names when it is of a clip family, else null (no error: other paths resolve it). */
export function clipModelOf(project: Project, ref: string): ModelInfo | null {
  // Registry models only (models.resolve has no side effect: `default` is never imported here).
  let info: ModelInfo;
  try {
    info = project.models.resolve(ref);
  } catch {
    return null;
  }
  try {
    return familyOf(info.family).inputKind === 'clip' ? info : null;
  } catch {
    return null;
  }
}

/** Main-side check: a clip model on a folder or on explicit images none of which is a frame is refused before a worker starts. */
export function checkClipSegment(project: Project | null, req: SegmentRequest): void {
  if (!project) return;
  const info = clipModelOf(project, req.model);
  if (!info) return;
  if (req.target.kind === 'folder') throw new Error(`${info.ref} is a ${info.family} model: it segments the image sequences of a project frame by frame, not a folder of single images`);
  if (req.engine && req.engine !== 'auto' && req.engine !== 'tfjs') throw new Error(`${info.ref} is a ${info.family} model: it runs on TensorFlow.js only (--engine ${req.engine})`);
  const ids = req.target.imageIds;
  if (ids?.length && ids.every((id) => project.sequences.frameOf(id) === null)) {
    throw new Error(`${info.ref}: none of the ${ids.length} image(s) is a frame of a sequence; ${notAFrameReason(info.family)}`);
  }
}
