// ml/ by process side: the lint rule (eslint.config.mjs, hemaseg/main-side-imports) refuses
// main-side imports of worker-only modules and lets type imports, the registry and a
// family's on-demand network loader through.
import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../../..');

async function ruleHits(file: string, code: string): Promise<number[]> {
  const eslint = new ESLint({ cwd: root });
  const [r] = await eslint.lintText(code, { filePath: resolve(root, file) });
  return r.messages.filter((m) => m.ruleId === 'hemaseg/main-side-imports').map((m) => m.line);
}

describe('main side never imports worker-side modules', () => {
  it('flags TensorFlow, the model, a family network and the job bodies, not types or the registry', async () => {
    const code = [
      "import { familyInfos } from '../ml/families/registry';", // 1 ok
      "import type { SegmentationModel } from '../ml/model/segmentation-model';", // 2 ok (type only)
      "import * as tf from '@tensorflow/tfjs-core';", // 3
      "import { createOptimizer } from '../ml/model';", // 4
      "import { createUnet } from '../ml/families/unet/network/unet';", // 5
      "export { runTrainJob } from '../ml/training/train-job';", // 6
      "export const x = [familyInfos, tf, createOptimizer, createUnet, import('../ml/inference/segment-job')];", // 7
      'export type Y = SegmentationModel;',
    ].join('\n');
    expect(await ruleHits('src/main/api/probe.ts', code)).toEqual([3, 4, 5, 6, 7]);
    // Worker-side files and tests may import them; a family's index.ts may load its network on demand.
    expect(await ruleHits('src/main/ml/training/probe.test.ts', code)).toEqual([]);
    expect(await ruleHits('src/main/ml/families/unet/index.ts', "export const n = () => import('./network/index');")).toEqual([]);
  }, 60_000);
});
