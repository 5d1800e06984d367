// Streaming segmentation with a clip family: each sequence is run frame by frame with the state
// carried; one prediction per frame is stored, equal to the windowless step() from the
// sequence's first frame; a subset of frames still streams from the start; single images are
// refused with the reason (per image in a mixed job, up front when no target is a frame).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LABEL } from '../../../shared/domain';
import type { SegmentRequest } from '../../../shared/ml';
import { initBackend } from '../backend/initBackend';
import { resolveLstmCnnConfig } from '../families/lstm-cnn/config';
import { lstmCnnClipTraining } from '../families/lstm-cnn/network/clip-family';
import { createLstmCnn } from '../families/lstm-cnn/network/lstm-cnn';
import { addDiskSequence, diskFrame, newClipProject } from '../training/clip/clip-fixture';
import type { FromWorker, JobIo } from '../worker/protocol';
import type { Project } from '../../project/project';
import { checkClipSegment } from './clip-segment-check';
import { runSegmentJob } from './segment-job';

beforeAll(async () => {
  await initBackend('wasm');
});

const io = (sent: FromWorker[]): JobIo => ({ send: (m) => sent.push(m), cancelled: () => false, orphaned: () => false, backend: { backend: 'wasm', detail: 'test' } });

async function storeModel(p: Project): Promise<string> {
  const config = resolveLstmCnnConfig({ arch: 'slim-t', recurrence: 'lstm', inputSize: 16 }, 'new');
  const net = lstmCnnClipTraining.create(config, 7, { learningRate: 0.01 });
  const { modelJson, weights } = await net.serialize();
  net.dispose();
  return p.models.add({
    name: 'film', family: 'lstm-cnn', task: 'binary', config: config as unknown as Record<string, unknown>, backend: 'wasm', parentId: null, trainImages: 0, metrics: {},
    lineage: { parentRef: null, runId: null, trainImages: [], valImages: [], hyperparameters: null, backend: null, backendDetail: null, curves: [], bestEpoch: null, epochsRun: null, trainingSeconds: null, stoppedBy: null },
    modelJson, weights,
  }).ref;
}

const request = (model: string, target: SegmentRequest['target']): SegmentRequest => ({ model, target, threshold: 0.5 }) as SegmentRequest;

/** The reference: the raw network's step() over frames 0..n-1 from the zero state, P(cell) per frame. */
async function referenceProbs(p: Project, ref: string, frames: number, x0: number): Promise<Float32Array[]> {
  const stored = p.models.load(p.models.resolve(ref).id)!;
  const raw = createLstmCnn(resolveLstmCnnConfig({ arch: 'slim-t', recurrence: 'lstm', inputSize: 16 }, 'new'), 99);
  const loaded = await lstmCnnClipTraining.load(stored.modelJson, stored.weights, { learningRate: 0.01 });
  raw.variables.forEach((v, name) => v.assign(tf.tensor(loaded.getWeights().find((w) => w.name === name)!.data, v.shape)));
  loaded.dispose();
  let state = raw.initialState(1, 16, 16);
  const out: Float32Array[] = [];
  for (let f = 0; f < frames; f++) {
    // The stored frames are 16-bit: 0.2 and 0.8 come back within 1e-5.
    const x = tf.tensor4d(Float32Array.from(diskFrame(16, f, x0).pixels, (v) => Math.round(v * 65535) / 65535), [1, 16, 16, 1]);
    const r = raw.step(state, x);
    out.push(Float32Array.from(tf.sigmoid(r.logits).dataSync()));
    tf.dispose([x, state.c, state.h, r.logits]);
    state = r.state;
  }
  tf.dispose([state.c, state.h]);
  raw.dispose();
  return out;
}

describe('streaming segmentation of sequences', () => {
  it('stores one prediction per frame, equal to the windowless step; single images are refused', async () => {
    const p = newClipProject();
    try {
      const { imageIds } = await addDiskSequence(p, { name: 's', frames: 9, split: 'test', labelled: () => false });
      const loose = p.images.insert({ hash: 'loose', name: 'loose.png', originalPath: 'loose.png', width: 16, height: 16, format: 'png', bytes: p.images.bytes(imageIds[0])!.bytes, thumbnail: null, split: 'test' });
      const ref = await storeModel(p);
      const sent: FromWorker[] = [];
      const result = await runSegmentJob(p.path, request(ref, { kind: 'project', images: 'all' }), 'tester', io(sent));
      expect(result.segmented).toBe(9);
      expect(result.imageIds.sort((a, b) => a - b)).toEqual([...imageIds].sort((a, b) => a - b));
      expect(result.failed).toEqual([{ file: 'loose.png', reason: expect.stringMatching(/not a frame of a sequence: a lstm-cnn model segments image sequences frame by frame/) }]);
      expect(p.masks.current(loose, 'prediction')).toBeNull();
      const reference = await referenceProbs(p, ref, 9, 3);
      for (let f = 0; f < 9; f++) {
        const versions = p.db.prepare("SELECT count(*) AS n FROM masks WHERE image_id = ? AND kind = 'prediction'").get(imageIds[f]) as { n: number };
        expect(versions.n).toBe(1);
        const mask = p.masks.load(p.masks.current(imageIds[f], 'prediction')!.id)!;
        const expected = reference[f].map((v) => (v >= 0.5 ? LABEL.cytoplasm : LABEL.background));
        expect(Array.from(mask.labels)).toEqual(Array.from(expected));
      }
      // The probabilities actually differ between frames (the state and the disk move), so the check is not vacuous.
      expect(reference[0].some((v, i) => Math.abs(v - reference[8][i]) > 1e-3)).toBe(true);

      // Only frames 6 and 8 targeted: still streamed from frame 0, so they equal the full run's frames.
      const again = await runSegmentJob(p.path, request(ref, { kind: 'project', images: 'test', imageIds: [imageIds[6], imageIds[8]] }), 'tester', io([]));
      expect(again.segmented).toBe(2);
      for (const f of [6, 8]) {
        const mask = p.masks.load(p.masks.current(imageIds[f], 'prediction')!.id)!;
        expect(Array.from(mask.labels)).toEqual(Array.from(reference[f].map((v) => (v >= 0.5 ? LABEL.cytoplasm : LABEL.background))));
      }

      // Up front (main side): only single images, or a folder, are refused with the reason.
      expect(() => checkClipSegment(p, request(ref, { kind: 'project', images: 'all', imageIds: [loose] }))).toThrow(/none of the 1 image\(s\) is a frame of a sequence/);
      expect(() => checkClipSegment(p, request(ref, { kind: 'folder', folder: '/tmp', out: '/tmp/x', convention: 'gray3' } as SegmentRequest['target']))).toThrow(/not a folder of single images/);
      await expect(runSegmentJob(p.path, request(ref, { kind: 'project', images: 'all', imageIds: [loose] }), 'tester', io([]))).rejects.toThrow(/none of the 1 image\(s\) is a frame/);
    } finally {
      p.close();
    }
  });
});
