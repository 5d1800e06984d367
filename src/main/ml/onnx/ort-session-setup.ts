// What the in-process and the worker-thread ONNX Runtime engines share: the session options
// (CPU only, one op at a time, the cores split inside each op) and reading a .onnx file with an
// error that names it.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export function ortSessionOptions(intraOpThreads?: number) {
  return {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all' as const,
    intraOpNumThreads: intraOpThreads ?? Math.min(availableParallelism(), 8),
    interOpNumThreads: 1,
    executionMode: 'sequential' as const,
  };
}

export function readOnnxFile(file: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file));
  } catch (err) {
    throw new Error(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
