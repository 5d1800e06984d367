// Protocols that split a sequence per frame. A sequence records its protocol by name, so
// frames added later (another import, another process) get the same split.
import type { FrameSplit } from '../../shared/domain';

/**
 * Seed 000's split of the 500-frame flow film: train 0,10..390 (40), validation 400..490
 * (10), test 5,15..495 (50). Every other frame is in no split ('unused'): the report wants
 * few labelled frames, and the neighbours of a test frame must never be trained on.
 */
export function seed000Split(frame: number): FrameSplit {
  if (frame % 10 === 0 && frame < 400) return 'train';
  if (frame % 10 === 0 && frame < 500) return 'val';
  if (frame % 10 === 5 && frame < 500) return 'test';
  return 'unused';
}

export const FRAME_PROTOCOLS: Readonly<Record<string, (frameIndex: number) => FrameSplit>> = {
  seed000: seed000Split,
};

export type FrameProtocol = keyof typeof FRAME_PROTOCOLS;
