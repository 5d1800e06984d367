// Batch normalisation (training mode, statistics over every axis but the last) fused with the
// ReLU that always follows it in the U-Net, written as plain loops over channel-last data.
// Why loops: tfjs's generic gradient of this composite broadcasts with Tile and reduces with
// transposes, which cost about a fifth of a training step on wasm; here forward and backward
// are two passes over the data each, with per-channel sums in float64 (JS numbers). On wasm,
// channel counts that are multiples of 4 run the same passes as SIMD code (simd/bnSimd.ts,
// ~6x faster); these loops serve the cpu backend and other channel counts.

/** Per-channel scale a and shift b so that bn(x) = x * a + b (float32-rounded stats in). */
function affine(C: number, gamma: Float32Array, beta: Float32Array, mean: Float32Array, invStd: Float32Array) {
  const a = new Float64Array(C);
  const b = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    a[c] = gamma[c] * invStd[c];
    b[c] = beta[c] - mean[c] * a[c];
  }
  return { a, b };
}

// Loop shapes below are chosen for V8: rows are processed in cache-sized blocks, inside a
// block one channel at a time (stride C) with local accumulators, and no data-dependent
// branches. The ReLU is (z + |z|) / 2 and the ReLU mask a boolean-to-number product: with
// about half the pixels negative a branch mispredicts so often that branchy forms run 3-5x
// slower, and whole-array channel passes thrash the cache once C >= 32.

/** Rows per block: about 16 KB of float32 per block. */
function blockRows(C: number): number {
  return Math.max(1, Math.floor(4096 / C)) | 0;
}

/**
 * y = relu(gamma * (x - mean) / sqrt(var + eps) + beta) with the batch mean and biased
 * variance; writes y, mean and invStd = 1/sqrt(var + eps).
 */
export function bnReluForward(
  x: Float32Array,
  channels: number,
  gamma: Float32Array,
  beta: Float32Array,
  eps: number,
  y: Float32Array,
  mean: Float32Array,
  invStd: Float32Array,
): void {
  // Integers as Smis: a shape entry that arrives as a heap double (e.g. from Math.floor in
  // shape inference) would make every index a double and the loops ~3x slower.
  const C = channels | 0;
  const n = x.length | 0;
  const M = n / C;
  const S = new Float64Array(C);
  const Q = new Float64Array(C);
  const step = (blockRows(C) * C) | 0;
  for (let b0 = 0; b0 < n; b0 += step) {
    const end = Math.min(n, b0 + step) | 0;
    for (let c = 0; c < C; c++) {
      let s = 0;
      let q = 0;
      for (let i = b0 + c; i < end; i += C) {
        const v = x[i];
        s += v;
        q += v * v;
      }
      S[c] += s;
      Q[c] += q;
    }
  }
  for (let c = 0; c < C; c++) {
    const m = S[c] / M;
    mean[c] = m;
    invStd[c] = 1 / Math.sqrt(Math.max(Q[c] / M - m * m, 0) + eps);
  }
  scaleShiftRelu(x, C, gamma, beta, mean, invStd, y);
}

/** y = relu(x * a + b) for given per-channel statistics (also the inference form). */
export function scaleShiftRelu(
  x: Float32Array,
  channels: number,
  gamma: Float32Array,
  beta: Float32Array,
  mean: Float32Array,
  invStd: Float32Array,
  y: Float32Array,
): void {
  // Integers as Smis: a shape entry that arrives as a heap double (e.g. from Math.floor in
  // shape inference) would make every index a double and the loops ~3x slower.
  const C = channels | 0;
  const { a, b } = affine(C, gamma, beta, mean, invStd);
  const n = x.length | 0;
  const step = (blockRows(C) * C) | 0;
  for (let b0 = 0; b0 < n; b0 += step) {
    const end = Math.min(n, b0 + step) | 0;
    for (let c = 0; c < C; c++) {
      const ac = a[c];
      const bc = b[c];
      for (let i = b0 + c; i < end; i += C) {
        const z = x[i] * ac + bc;
        y[i] = (z + Math.abs(z)) * 0.5;
      }
    }
  }
}

/**
 * Gradient of bnReluForward. With g = dy masked by the ReLU, xhat = (x - mean) * invStd:
 *   dbeta = sum g, dgamma = sum g * xhat,
 *   dx = gamma * invStd * (g - dbeta / M - xhat * dgamma / M).
 */
export function bnReluBackward(
  dy: Float32Array,
  x: Float32Array,
  channels: number,
  gamma: Float32Array,
  beta: Float32Array,
  mean: Float32Array,
  invStd: Float32Array,
  dx: Float32Array,
  dgamma: Float32Array,
  dbeta: Float32Array,
): void {
  // Integers as Smis: a shape entry that arrives as a heap double (e.g. from Math.floor in
  // shape inference) would make every index a double and the loops ~3x slower.
  const C = channels | 0;
  const n = x.length | 0;
  const M = n / C;
  const { a, b } = affine(C, gamma, beta, mean, invStd);
  const SG = new Float64Array(C);
  const SGX = new Float64Array(C);
  const step = (blockRows(C) * C) | 0;
  for (let b0 = 0; b0 < n; b0 += step) {
    const end = Math.min(n, b0 + step) | 0;
    for (let c = 0; c < C; c++) {
      const ac = a[c];
      const bc = b[c];
      let sg = 0;
      let sgx = 0;
      for (let i = b0 + c; i < end; i += C) {
        const v = x[i];
        const g = Number(v * ac + bc > 0) * dy[i];
        sg += g;
        sgx += g * v;
      }
      SG[c] += sg;
      SGX[c] += sgx;
    }
  }
  // dx = mask * a * dy - k2 * x + k3
  const k2 = new Float64Array(C);
  const k3 = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const dg = invStd[c] * (SGX[c] - mean[c] * SG[c]);
    dgamma[c] = dg;
    dbeta[c] = SG[c];
    k2[c] = (a[c] * invStd[c] * dg) / M;
    k3[c] = a[c] * ((mean[c] * invStd[c] * dg) / M - SG[c] / M);
  }
  for (let b0 = 0; b0 < n; b0 += step) {
    const end = Math.min(n, b0 + step) | 0;
    for (let c = 0; c < C; c++) {
      const ac = a[c];
      const bc = b[c];
      const k2c = k2[c];
      const k3c = k3[c];
      for (let i = b0 + c; i < end; i += C) {
        const v = x[i];
        dx[i] = Number(v * ac + bc > 0) * ac * dy[i] + (k3c - k2c * v);
      }
    }
  }
}
