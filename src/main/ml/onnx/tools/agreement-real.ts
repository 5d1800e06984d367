// ONNX Runtime vs TensorFlow.js on a folder of real images (wbc-dataset1 by default): the
// shipped default model (or a model folder) on both engines through the same predictor.
// Prints per-pixel class agreement of the final masks and the largest probability
// difference of the network outputs. Read-only on the data; run from the repository:
//   npx tsx src/main/ml/onnx/tools/agreement-real.ts [IMAGE_FOLDER] [MODEL_FOLDER]
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RgbImage } from '../../../../shared/domain';
import { decodeImage } from '../../../imaging/decode-image';
import { initBackend } from '../../backend/initBackend';
import { Predictor, predictorSpec } from '../../inference/predictor';
import type { ProbabilityEngine } from '../../inference/probability-engine';
import { TfjsEngine } from '../../inference/tfjs-engine';
import { readDefaultModel } from '../../registry/default-model';
import { readModelFolder } from '../../registry/model-folder';
import { loadNetwork } from '../../training/network';
import { buildOnnx } from '../export-onnx';
import { OrtEngine } from '../ort-engine';

/** Wraps an engine to keep every output, so both engines' raw probabilities can be compared. */
function recording(e: ProbabilityEngine, outs: Float32Array[]): ProbabilityEngine {
  return {
    name: e.name, channels: e.channels, sizeMultiple: e.sizeMultiple, dispose: () => e.dispose(),
    forward: async (x, n, h, w) => {
      const p = await e.forward(x, n, h, w);
      outs.push(p.slice());
      return p;
    },
  };
}

async function main(): Promise<void> {
  const folder = resolve(process.argv[2] ?? join(process.cwd(), '../shared/data/wbc-dataset1'));
  const f = process.argv[3] ? readModelFolder(process.argv[3]) : readDefaultModel();
  const backend = await initBackend();
  const files = readdirSync(folder).filter((n) => /\.(bmp|png|jpe?g|tiff?)$/i.test(n) && !/_mask\./i.test(n)).filter((n) => !/\.png$/i.test(n) || !readdirSync(folder).includes(n.replace(/\.png$/i, '.bmp'))).sort();
  const images: RgbImage[] = [];
  for (const name of files) images.push((await decodeImage(new Uint8Array(readFileSync(join(folder, name))), name)).image);
  const config = JSON.parse(f.modelJson).config;
  const spec = predictorSpec(config);
  const tfOuts: Float32Array[] = [];
  const ortOuts: Float32Array[] = [];
  const tf = new Predictor(recording(new TfjsEngine(await loadNetwork(f.modelJson, f.weights), backend.backend), tfOuts), spec);
  const onnx = buildOnnx({ name: f.metadata?.name ?? 'model', version: f.metadata?.version ?? 1, modelJson: f.modelJson, weights: f.weights, exportedBy: 'agreement script' });
  const ort = new Predictor(recording(await OrtEngine.create(onnx.bytes), ortOuts), spec);
  let same = 0;
  let total = 0;
  let worst = 1;
  let t = 0;
  let o = 0;
  for (let i = 0; i < images.length; i += 16) {
    const batch = images.slice(i, i + 16);
    let t0 = performance.now();
    const a = await tf.segment(batch, { threshold: 0.5 });
    t += performance.now() - t0;
    t0 = performance.now();
    const b = await ort.segment(batch, { threshold: 0.5 });
    o += performance.now() - t0;
    a.forEach((m, k) => {
      let s = 0;
      for (let q = 0; q < m.labels.length; q++) if (m.labels[q] === b[k].labels[q]) s++;
      same += s;
      total += m.labels.length;
      worst = Math.min(worst, s / m.labels.length);
    });
  }
  let maxDiff = 0;
  tfOuts.forEach((p, i) => {
    for (let q = 0; q < p.length; q++) maxDiff = Math.max(maxDiff, Math.abs(p[q] - ortOuts[i][q]));
  });
  tf.dispose();
  ort.dispose();
  console.log(JSON.stringify({
    folder, images: images.length, model: f.metadata?.ref ?? 'model', tfjsBackend: backend.backend,
    pixelAgreement: same / total, worstImageAgreement: worst, maxProbabilityDiff: maxDiff,
    msPerImage: { tfjs: Math.round((t / images.length) * 100) / 100, onnxruntime: Math.round((o / images.length) * 100) / 100 },
  }, null, 2));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
