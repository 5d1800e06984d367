// Test support (generated data only): a project with tiny sequences of a moving disk, frames
// stored as 16-bit grey PNG like the film, ground truth on chosen frames.
import { join } from 'node:path';
import { LABEL } from '../../../../shared/domain';
import { Project } from '../../../project/project';
import { tempDir } from '../../../testing/fixtures';
import { flowFramePng } from '../../../synth/write-synth';

export interface DiskSequence {
  name: string;
  frames: number;
  /** Per-frame protocol (e.g. 'seed000'), else the whole sequence in `split`. */
  protocol?: string;
  split?: 'train' | 'val' | 'test';
  /** Frames with ground truth (default: every frame). */
  labelled?: (frame: number) => boolean;
  /** Start column of the disk (different sequences, different paths). */
  x0?: number;
}

/** A disk of radius 3 moving one pixel right per frame (wrapping), intensity 0.8 on 0.2. */
export function diskFrame(size: number, frame: number, x0 = 3): { pixels: Float32Array; truth: Uint8Array } {
  const pixels = new Float32Array(size * size).fill(0.2);
  const truth = new Uint8Array(size * size);
  const cx = (x0 + frame) % size;
  const cy = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = Math.min(Math.abs(x - cx), size - Math.abs(x - cx));
      if (dx * dx + (y - cy) ** 2 <= 9) {
        pixels[y * size + x] = 0.8;
        truth[y * size + x] = 1;
      }
    }
  }
  return { pixels, truth };
}

let counter = 0;

export async function addDiskSequence(p: Project, s: DiskSequence, size = 16): Promise<{ sequenceId: number; imageIds: number[] }> {
  const seq = p.sequences.ensure({ name: s.name, width: size, height: size, source: 'test', ...(s.protocol ? { protocol: s.protocol } : { split: s.split ?? 'train' }) });
  const imageIds: number[] = [];
  for (let f = 0; f < s.frames; f++) {
    const { pixels, truth } = diskFrame(size, f, s.x0);
    const bytes = await flowFramePng(pixels, size);
    const name = `${s.name}-${String(f).padStart(4, '0')}.png`;
    const id = p.images.insert({ hash: `disk${++counter}-${s.name}-${f}`, name, originalPath: name, width: size, height: size, format: 'png', bytes, thumbnail: null, split: 'train' });
    p.sequences.addFrame(seq.id, id, f);
    if (s.labelled?.(f) ?? true) {
      p.masks.append({ imageId: id, kind: 'ground-truth', source: 'synthetic', author: 'test', mask: { width: size, height: size, labels: truth.map((v) => (v ? LABEL.cytoplasm : LABEL.background)) } });
    }
    imageIds.push(id);
  }
  return { sequenceId: seq.id, imageIds };
}

export function newClipProject(): Project {
  return Project.open(join(tempDir('hemaseg-clip-'), 'clip.hemaseg'), { create: true });
}
