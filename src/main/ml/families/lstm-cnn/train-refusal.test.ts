// A clip family trains on clips of sequence frames (../../training/clip): a project without
// sequences is refused before any run exists, with a message naming the family, while its
// image siblings still pass the family check.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrainRequest } from '../../../../shared/ml';
import { Project } from '../../../project/project';
import { tempDir } from '../../../testing/fixtures';
import { prepareTrainRequest } from '../../training/train-service';

function request(model: TrainRequest['model']): TrainRequest {
  return {
    name: 'film', model, epochs: 1, minutes: null, batch: 2, lr: 0.005, patience: null, clipNorm: null, classWeights: null,
    augmentation: { flips: false, rotate90: false, shift: 0, zoom: 0, shear: 0 }, from: null, images: 'all', seed: 1,
  };
}

describe('training a clip family', () => {
  it('is refused by prepareTrainRequest without sequences, with the reason; an image family passes that check', () => {
    const p = Project.open(join(tempDir(), 'c.hemaseg'), { create: true });
    try {
      expect(() => prepareTrainRequest(p, request({ family: 'lstm-cnn', variant: 'lstm-cnn-en-t-d2', config: {} }))).toThrow(/lstm-cnn family trains on clips of image sequences and this project has none/);
      // The U-Net gets past the family check (this empty project then fails for want of images).
      expect(() => prepareTrainRequest(p, request({ family: 'unet', config: { depth: 2 } }))).toThrow(/no .*image|ground truth/);
      expect(runsIn(p)).toBe(0);
    } finally {
      p.close();
    }
  });
});

function runsIn(p: Project): number {
  return (p.db.prepare('SELECT count(*) AS n FROM training_runs').get() as { n: number }).n;
}
