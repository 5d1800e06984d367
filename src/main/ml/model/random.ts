// Seeded random numbers for weight initialisation and dropout seeds. Our own generator (not
// the backend's) so a seed gives the same initial weights on every backend.

/** mulberry32: small, fast, good enough for initialisation. Returns floats in [0, 1). */
export function createRng(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples (Box-Muller). */
export function normalArray(rng: () => number, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(rng(), 1e-12);
    const v = rng();
    const r = Math.sqrt(-2 * Math.log(u)) * std;
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

export function uniformArray(rng: () => number, n: number, limit: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (rng() * 2 - 1) * limit;
  return out;
}

/** Weight initialisation of a K x K convolution (see ../families/conv-options.ts). */
export type KernelInit = 'he' | 'xavier' | 'normal';

/**
 * Values of a [k, k, cin, cout] kernel: He-normal (std sqrt(2 / fan-in)), Xavier/Glorot-uniform
 * (limit sqrt(6 / (fan-in + fan-out))) or N(0, 0.1) (seed 000). A transposed convolution takes
 * the same values in its [k, k, cout, cin] layout.
 */
export function convKernelValues(rng: () => number, init: KernelInit, k: number, cin: number, cout: number): Float32Array {
  const fanIn = k * k * cin;
  const fanOut = k * k * cout;
  const n = k * k * cin * cout;
  if (init === 'xavier') return uniformArray(rng, n, Math.sqrt(6 / (fanIn + fanOut)));
  if (init === 'normal') return normalArray(rng, n, 0.1);
  if (init === 'he') return normalArray(rng, n, Math.sqrt(2 / fanIn));
  throw new Error(`unknown kernel initialisation '${String(init)}' (he, xavier, normal)`);
}
