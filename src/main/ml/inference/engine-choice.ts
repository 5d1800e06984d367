// Which engine computes a job's probabilities: ONNX Runtime (the default when
// onnxruntime-node loads), TensorFlow.js in this process, or a KServe v2 / Triton server.
// Pre- and post-processing stay the predictor's, so the engines differ only in arithmetic.
import type { ModelTask } from '../../../shared/domain';
import type { InferenceEngineChoice, ServingTarget } from '../../../shared/ml';
import { buildOnnx } from '../onnx/export-onnx';
import { ORT_ENGINE_NAME } from '../onnx/ort-engine-name';
import { OrtThreadEngine } from '../onnx/ort-thread-engine';
import { KserveEngine, KserveError } from '../serving/kserve-client';
import type { ProbabilityEngine } from './probability-engine';

export interface StoredNetwork {
  name: string;
  version: number;
  modelJson: string;
  weights: Uint8Array;
}

export interface EngineOutcome {
  engine: ProbabilityEngine;
  /** What is stored in masks.backend: 'onnxruntime-cpu', 'triton', or the tfjs backend name. */
  storedName: string;
  /** Why an automatic choice fell back to TensorFlow.js. */
  fallback: string | null;
}

/**
 * The engine for a stored network. `tfjs` builds the TensorFlow.js engine (only called when
 * needed, so an ONNX job never loads the weights twice).
 */
export async function engineForNetwork(
  choice: InferenceEngineChoice | undefined,
  net: StoredNetwork,
  tfjs: () => Promise<{ engine: ProbabilityEngine; storedName: string }>,
): Promise<EngineOutcome> {
  const c = choice ?? 'auto';
  if (c === 'tfjs') return { ...(await tfjs()), fallback: null };
  if (c === 'triton') throw new Error('the triton engine needs --url and a served model name');
  try {
    const onnx = buildOnnx({ name: net.name, version: net.version, modelJson: net.modelJson, weights: net.weights, exportedBy: 'HemaSeg' });
    // On its own thread, so decoding and post-processing overlap the network (pipeline.ts).
    const engine = await OrtThreadEngine.create(onnx.bytes, { label: `${net.name}@${net.version} (ONNX)` });
    return { engine, storedName: ORT_ENGINE_NAME, fallback: null };
  } catch (err) {
    if (c === 'onnx') throw new Error(`--engine onnx: ${(err as Error).message}`);
    return { ...(await tfjs()), fallback: `ONNX Runtime unavailable (${(err as Error).message}); using TensorFlow.js` };
  }
}

/** A KServe v2 engine after checking the served model (and, when known, its channel count). */
export async function engineForServer(target: ServingTarget, expect?: { task: ModelTask; channels: number }): Promise<EngineOutcome & { engine: KserveEngine }> {
  const engine = await KserveEngine.connect({
    url: target.url, model: target.model, version: target.version ?? undefined,
    timeoutMs: target.timeoutMs ?? undefined, retries: target.retries ?? undefined,
    expectChannels: expect?.channels,
  });
  return { engine, storedName: 'triton', fallback: null };
}

/** Errors after which continuing the job is pointless (the server is gone or serves something else). */
export function isFatalEngineError(err: unknown): boolean {
  return err instanceof KserveError;
}
