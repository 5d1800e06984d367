// The clip sampler: windows end at labelled frames, 'unused' frames are context but never
// targets, the split of the target decides the set, holes are padded, the project plan
// follows the seed-000 protocol, and the train request of a clip family checks for clips.
import { describe, expect, it } from 'vitest';
import type { FrameSplit } from '../../../../shared/domain';
import type { TrainRequest } from '../../../../shared/ml';
import { prepareTrainRequest } from '../train-service';
import { addDiskSequence, newClipProject } from './clip-fixture';
import { planClips, sequenceClips, type FrameRow } from './clip-sampler';

const rows = (n: number, split: (f: number) => FrameSplit, labelled: (f: number) => boolean): FrameRow[] =>
  Array.from({ length: n }, (_, f) => ({ frameIndex: f, imageId: 100 + f, split: split(f), maskVersionId: labelled(f) ? 1000 + f : null }));

function request(over: Partial<TrainRequest> = {}): TrainRequest {
  return {
    name: 'film', model: { family: 'lstm-cnn', variant: 'lstm-cnn-slim-t', config: { inputSize: 16 } }, epochs: 1, minutes: null, batch: 2, lr: 0.005,
    patience: null, clipNorm: null, classWeights: null, augmentation: { flips: false, rotate90: false, shift: 0, zoom: 0, shear: 0 }, from: null, images: 'all', seed: 1, ...over,
  };
}

describe('sequenceClips', () => {
  it('ends every clip at a labelled frame of a split; unused frames are context only', () => {
    // Frames 0..19: labelled 0, 4, 8 (train), 12 (val), 16 (test), 18 labelled but unused; the rest unlabelled.
    const split = (f: number): FrameSplit => (f === 12 ? 'val' : f === 16 ? 'test' : f === 18 ? 'unused' : f % 2 ? 'unused' : 'train');
    const plan = sequenceClips({ id: 1, name: 's' }, rows(20, split, (f) => f % 4 === 0 || f === 18), 5);
    expect(plan.train.map((c) => c.frameIndex)).toEqual([0, 4, 8]);
    expect(plan.val.map((c) => c.frameIndex)).toEqual([12]);
    expect(plan.test.map((c) => c.frameIndex)).toEqual([16]);
    const all = [...plan.train, ...plan.val, ...plan.test];
    expect(all.some((c) => c.frameIndex === 18)).toBe(false);
    for (const c of all) {
      expect(c.frames).toHaveLength(5);
      expect(c.frames[4]).toBe(c.imageId);
      expect(c.maskVersionId).toBe(1000 + c.frameIndex);
    }
    // Frame 8's clip: frames 4..8 in order (4 is a train target, 5 and 7 unused: context is any frame).
    expect(plan.train[2].frames).toEqual([104, 105, 106, 107, 108]);
    expect(plan.train[2].padded).toBe(0);
  });

  it('pads the start of the sequence and gaps with the next frame present', () => {
    const plan = sequenceClips({ id: 1, name: 's' }, rows(3, () => 'train', (f) => f !== 1), 5);
    expect(plan.train[0]).toMatchObject({ frameIndex: 0, frames: [100, 100, 100, 100, 100], padded: 4 });
    expect(plan.train[1]).toMatchObject({ frameIndex: 2, frames: [100, 100, 100, 101, 102], padded: 2 });
    const gap = sequenceClips({ id: 1, name: 's' }, rows(6, () => 'train', (f) => f === 5).filter((r) => r.frameIndex !== 3), 4);
    expect(gap.train[0].frames).toEqual([102, 104, 104, 105]);
    expect(() => sequenceClips({ id: 1, name: 's' }, [], 0)).toThrow(/positive integer/);
  });
});

describe('planClips', () => {
  it("follows the sequences' seed-000 protocol across sequences", async () => {
    const p = newClipProject();
    try {
      await addDiskSequence(p, { name: 'a', frames: 21, protocol: 'seed000' });
      await addDiskSequence(p, { name: 'b', frames: 12, split: 'test' });
      const plan = planClips(p, 5);
      // Sequence a: train 0, 10, 20; test 5, 15; every other frame unused (labelled or not, never a target).
      expect(plan.train.map((c) => `${c.sequenceName}${c.frameIndex}`)).toEqual(['a0', 'a10', 'a20']);
      expect(plan.val).toEqual([]);
      expect(plan.test.map((c) => `${c.sequenceName}${c.frameIndex}`)).toEqual(['a5', 'a15', ...Array.from({ length: 12 }, (_, f) => `b${f}`)]);
      const aIds = new Set(p.sequences.frameIds(p.sequences.byName('a')!.id));
      for (const c of plan.train) for (const id of c.frames) expect(aIds.has(id)).toBe(true);
    } finally {
      p.close();
    }
  });

  it('lets prepareTrainRequest accept a clip family only when there are training clips', async () => {
    const p = newClipProject();
    try {
      expect(() => prepareTrainRequest(p, request())).toThrow(/trains on clips of image sequences and this project has none/);
      await addDiskSequence(p, { name: 'v', frames: 6, split: 'val' });
      expect(() => prepareTrainRequest(p, request())).toThrow(/no frame in the train split/);
      expect(() => prepareTrainRequest(p, request({ images: 'corrected' }))).toThrow(/trains on clips/);
      await addDiskSequence(p, { name: 't', frames: 6, split: 'train' });
      const { request: r } = prepareTrainRequest(p, request());
      expect(r.model).toMatchObject({ family: 'lstm-cnn', config: { arch: 'slim-t', recurrence: 'lstm', inputSize: 16 } });
      // The variant may be named without the family prefix (`--family lstm-cnn --variant en-t-d2`).
      const short = prepareTrainRequest(p, request({ model: { family: 'lstm-cnn', variant: 'en-t-d2', config: { inputSize: 16 } } })).request;
      expect(short.model).toMatchObject({ config: { arch: 'en-t', recurrence: 'lstm', dilation: 2 } });
    } finally {
      p.close();
    }
  });
});
