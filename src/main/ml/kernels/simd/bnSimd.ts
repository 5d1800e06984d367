// WebAssembly SIMD versions of the batch-norm + ReLU loops (see ../bnReluMath.ts for the
// math), assembled at run time and linked to tfjs-backend-wasm's own memory, so they read and
// write tensors in place. Four floats per instruction where the JS loops do one; used by the
// wasm kernels when the channel count is a multiple of 4 (every U-Net layer), the JS loops
// otherwise. Sums are accumulated in float32 over blocks of 256 rows, centred on a per-channel
// shift, and added up in float64.
import { assembleModule, Code, I32, V128, type FunctionDef } from './wasmAssembler';

export const SIMD_BLOCK_ROWS = 256;

/** Flushes the four lanes of two v128 accumulators into f64 sums at out[ch], out[C + ch]. */
function flush(c: Code, out: number, cv: number, channels: number, tmpA: number, tmpB: number, s: number, q: number): void {
  // tmpA = out + cv * 2 (cv is a byte offset of 4-float groups: channel = cv / 4, f64 offset = channel * 8)
  c.get(out).get(cv).i32(1).shl().add().tee(tmpA).get(channels).i32(3).shl().add().set(tmpB);
  for (let lane = 0; lane < 4; lane++) {
    c.get(tmpA).get(tmpA).f64Load(8 * lane).get(s).f32x4ExtractLane(lane).f64PromoteF32().f64Add().f64Store(8 * lane);
    c.get(tmpB).get(tmpB).f64Load(8 * lane).get(q).f32x4ExtractLane(lane).f64PromoteF32().f64Add().f64Store(8 * lane);
  }
}

/** stats(x, rows, C, shift, out): out[c] += sum(x - shift), out[C + c] += sum((x - shift)^2). */
function statsFn(): FunctionDef {
  const [x, rows, C, shift, out] = [0, 1, 2, 3, 4];
  const [rowBytes, r0, blockEnd, cv, p, pEnd, tmpA, tmpB] = [5, 6, 7, 8, 9, 10, 11, 12];
  const [s, q, k, v] = [13, 14, 15, 16];
  const c = new Code();
  c.get(C).i32(2).shl().set(rowBytes);
  c.i32(0).set(r0);
  c.block((c) =>
    c.loop((c) => {
      c.get(r0).get(rows).geU().brIf(1);
      c.get(r0).i32(SIMD_BLOCK_ROWS).add().tee(blockEnd).get(rows).get(blockEnd).get(rows).ltU().select().set(blockEnd);
      c.i32(0).set(cv);
      c.block((c) =>
        c.loop((c) => {
          c.get(cv).get(rowBytes).geU().brIf(1);
          c.get(shift).get(cv).add().vLoad().set(k);
          c.vZero().set(s).vZero().set(q);
          c.get(x).get(r0).get(rowBytes).mul().add().get(cv).add().set(p);
          c.get(x).get(blockEnd).get(rowBytes).mul().add().get(cv).add().set(pEnd);
          c.block((c) =>
            c.loop((c) => {
              c.get(p).get(pEnd).geU().brIf(1);
              c.get(p).vLoad().get(k).f32x4Sub().tee(v);
              c.get(s).f32x4Add().set(s);
              c.get(v).get(v).f32x4Mul().get(q).f32x4Add().set(q);
              c.get(p).get(rowBytes).add().set(p);
              c.br(0);
            }),
          );
          flush(c, out, cv, C, tmpA, tmpB, s, q);
          c.get(cv).i32(16).add().set(cv);
          c.br(0);
        }),
      );
      c.get(blockEnd).set(r0);
      c.br(0);
    }),
  );
  return { name: 'stats', params: 5, locals: [...new Array<number>(8).fill(I32), V128, V128, V128, V128], body: c };
}

/** apply(x, y, rows, C, a, b): y = max(x * a + b, 0) per channel. */
function applyFn(): FunctionDef {
  const [x, y, rows, C, a, b] = [0, 1, 2, 3, 4, 5];
  const [rowBytes, off, end, cv, p] = [6, 7, 8, 9, 10];
  const zero = 11;
  const c = new Code();
  c.get(C).i32(2).shl().set(rowBytes);
  c.get(rows).get(rowBytes).mul().set(end);
  c.i32(0).set(off);
  c.vZero().set(zero);
  c.block((c) =>
    c.loop((c) => {
      c.get(off).get(end).geU().brIf(1);
      c.i32(0).set(cv);
      c.block((c) =>
        c.loop((c) => {
          c.get(cv).get(rowBytes).geU().brIf(1);
          c.get(off).get(cv).add().set(p);
          c.get(y).get(p).add();
          c.get(x).get(p).add().vLoad().get(a).get(cv).add().vLoad().f32x4Mul().get(b).get(cv).add().vLoad().f32x4Add();
          c.get(zero).f32x4Pmax().vStore();
          c.get(cv).i32(16).add().set(cv);
          c.br(0);
        }),
      );
      c.get(off).get(rowBytes).add().set(off);
      c.br(0);
    }),
  );
  return { name: 'apply', params: 6, locals: [...new Array<number>(5).fill(I32), V128], body: c };
}

/**
 * gradSums(x, dy, rows, C, a, b, mean, out): with g = dy where x * a + b > 0 (else 0),
 * out[c] += sum(g), out[C + c] += sum(g * (x - mean)).
 */
function gradSumsFn(): FunctionDef {
  const [x, dy, rows, C, a, b, mean, out] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [rowBytes, r0, blockEnd, cv, o, oEnd, tmpA, tmpB] = [8, 9, 10, 11, 12, 13, 14, 15];
  const [s, q, av, bv, mv, xv, g, zero] = [16, 17, 18, 19, 20, 21, 22, 23];
  const c = new Code();
  c.get(C).i32(2).shl().set(rowBytes);
  c.i32(0).set(r0);
  c.vZero().set(zero);
  c.block((c) =>
    c.loop((c) => {
      c.get(r0).get(rows).geU().brIf(1);
      c.get(r0).i32(SIMD_BLOCK_ROWS).add().tee(blockEnd).get(rows).get(blockEnd).get(rows).ltU().select().set(blockEnd);
      c.i32(0).set(cv);
      c.block((c) =>
        c.loop((c) => {
          c.get(cv).get(rowBytes).geU().brIf(1);
          c.get(a).get(cv).add().vLoad().set(av);
          c.get(b).get(cv).add().vLoad().set(bv);
          c.get(mean).get(cv).add().vLoad().set(mv);
          c.vZero().set(s).vZero().set(q);
          c.get(r0).get(rowBytes).mul().get(cv).add().set(o);
          c.get(blockEnd).get(rowBytes).mul().get(cv).add().set(oEnd);
          c.block((c) =>
            c.loop((c) => {
              c.get(o).get(oEnd).geU().brIf(1);
              c.get(x).get(o).add().vLoad().tee(xv);
              c.get(av).f32x4Mul().get(bv).f32x4Add().get(zero).f32x4Gt();
              c.get(dy).get(o).add().vLoad().vAnd().tee(g);
              c.get(s).f32x4Add().set(s);
              c.get(g).get(xv).get(mv).f32x4Sub().f32x4Mul().get(q).f32x4Add().set(q);
              c.get(o).get(rowBytes).add().set(o);
              c.br(0);
            }),
          );
          flush(c, out, cv, C, tmpA, tmpB, s, q);
          c.get(cv).i32(16).add().set(cv);
          c.br(0);
        }),
      );
      c.get(blockEnd).set(r0);
      c.br(0);
    }),
  );
  return { name: 'gradSums', params: 8, locals: [...new Array<number>(8).fill(I32), ...new Array<number>(8).fill(V128)], body: c };
}

/** dx(x, dy, dx, rows, C, a, b, k2, k3): dx = (x * a + b > 0 ? a * dy : 0) + k3 - k2 * x. */
function dxFn(): FunctionDef {
  const [x, dy, dxp, rows, C, a, b, k2, k3] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [rowBytes, off, end, cv, p] = [9, 10, 11, 12, 13];
  const [zero, xv, av] = [14, 15, 16];
  const c = new Code();
  c.get(C).i32(2).shl().set(rowBytes);
  c.get(rows).get(rowBytes).mul().set(end);
  c.i32(0).set(off);
  c.vZero().set(zero);
  c.block((c) =>
    c.loop((c) => {
      c.get(off).get(end).geU().brIf(1);
      c.i32(0).set(cv);
      c.block((c) =>
        c.loop((c) => {
          c.get(cv).get(rowBytes).geU().brIf(1);
          c.get(off).get(cv).add().set(p);
          c.get(dxp).get(p).add();
          c.get(x).get(p).add().vLoad().set(xv);
          c.get(a).get(cv).add().vLoad().set(av);
          c.get(dy).get(p).add().vLoad().get(av).f32x4Mul();
          c.get(xv).get(av).f32x4Mul().get(b).get(cv).add().vLoad().f32x4Add().get(zero).f32x4Gt();
          c.vAnd();
          c.get(k3).get(cv).add().vLoad().f32x4Add();
          c.get(k2).get(cv).add().vLoad().get(xv).f32x4Mul().f32x4Sub();
          c.vStore();
          c.get(cv).i32(16).add().set(cv);
          c.br(0);
        }),
      );
      c.get(off).get(rowBytes).add().set(off);
      c.br(0);
    }),
  );
  return { name: 'dx', params: 9, locals: [...new Array<number>(5).fill(I32), V128, V128, V128], body: c };
}

export interface BnSimd {
  stats(x: number, rows: number, channels: number, shift: number, out: number): void;
  apply(x: number, y: number, rows: number, channels: number, a: number, b: number): void;
  gradSums(x: number, dy: number, rows: number, channels: number, a: number, b: number, mean: number, out: number): void;
  dx(x: number, dy: number, dx: number, rows: number, channels: number, a: number, b: number, k2: number, k3: number): void;
}

const instances = new WeakMap<WebAssembly.Memory, BnSimd | null>();

/** The SIMD functions linked to `memory`, or null when this runtime cannot build them. */
export function bnSimdFor(memory: WebAssembly.Memory): BnSimd | null {
  if (instances.has(memory)) return instances.get(memory) ?? null;
  let result: BnSimd | null = null;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = assembleModule([statsFn(), applyFn(), gradSumsFn(), dxFn()], { shared, minPages: 1, maxPages: 65536 });
    const module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    result = instance.exports as unknown as BnSimd;
  } catch {
    result = null; // no SIMD or an incompatible memory: the JS loops are used instead
  }
  instances.set(memory, result);
  return result;
}
