// Shared helpers for the ML tests (not a test file): deterministic random data, running a
// computation on a named backend and comparing results relative to their magnitude.
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../model/random';

export function randomArray(n: number, seed: number, scale = 1): Float32Array {
  const rng = createRng(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (rng() * 2 - 1) * scale;
  return a;
}

/** Runs `f` with `backend` active and returns the data of every tensor it returns. */
export async function onBackend(backend: string, f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  const previous = tf.getBackend();
  await tf.setBackend(backend);
  try {
    const out = tf.tidy(f);
    const list = Array.isArray(out) ? out : [out];
    const data = list.map((t) => new Float32Array(t.dataSync()));
    tf.dispose(list);
    return data;
  } finally {
    if (previous) await tf.setBackend(previous);
  }
}

/** max |a - b| / max(max |b|, 1e-6). */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let err = 0;
  let mag = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    mag = Math.max(mag, Math.abs(b[i]));
  }
  return err / Math.max(mag, 1e-6);
}
