// The segmentation engine a job would use by default, known without loading the native
// addon in this process (the app's status and `hemaseg info` show it; the worker decides
// for real and stores the engine with every prediction).
import { createRequire } from 'node:module';
import { ORT_ENGINE_NAME } from './ort-engine-name';

export interface ExpectedEngine {
  /** 'onnxruntime-cpu' when onnxruntime-node is installed, else 'tfjs'. */
  engine: string;
  detail: string;
}

let cached: ExpectedEngine | null = null;

export function expectedInferenceEngine(): ExpectedEngine {
  if (cached) return cached;
  const req = createRequire(import.meta.url);
  try {
    const pkg = req('onnxruntime-node/package.json') as { version?: string };
    cached = { engine: ORT_ENGINE_NAME, detail: `ONNX Runtime ${pkg.version ?? '?'} (onnxruntime-node, CPU)` };
  } catch {
    cached = { engine: 'tfjs', detail: 'TensorFlow.js (onnxruntime-node is not installed)' };
  }
  return cached;
}
