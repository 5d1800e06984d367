// WebAssembly SIMD loops of max-unpooling for 2x2 / stride 2 switches (../MaxUnpool.ts,
// ../MaxUnpoolGrad.ts), four channels per instruction and no scatter: each window position k
// gets x & (idx == first + offset_k), so every output is written once, and the OR of the four
// masks must be all ones (the index is one of its window's positions); the running AND of those
// ORs is stored at consts + 80 for the caller to check. One call per pooled row:
//   scatter(xRow, idxRow, yRow, OW, Cbytes, rowBytes, consts)   y window <- x by switches
//   gather(dyRow, idxRow, dxRow, OW, Cbytes, rowBytes, consts)   dx <- dy at the switches
// consts as simd/argmaxPoolSimd.ts (first indices, C, W*C, W*C + C, 4) + 16 bytes for the flag.
import { assembleModule, Code, I32, V128, type FunctionDef } from './wasmAssembler';

export interface UnpoolSimd {
  scatter(xRow: number, idxRow: number, yRow: number, OW: number, cBytes: number, rowBytes: number, consts: number): void;
  gather(dyRow: number, idxRow: number, dxRow: number, OW: number, cBytes: number, rowBytes: number, consts: number): void;
}

function fn(name: 'scatter' | 'gather'): FunctionDef {
  const [src, idxRow, dst, OW, cBytes, rowBytes, consts] = [0, 1, 2, 3, 4, 5, 6];
  const [ow, cv, p, o] = [7, 8, 9, 10];
  const [iv, cC, cW, cWC, c4, ok, ii, xv, m0, m1, m2, m3] = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
  const masks = [m0, m1, m2, m3];
  const c = new Code();
  c.get(consts).vLoad(0).set(iv);
  c.get(consts).vLoad(16).set(cC);
  c.get(consts).vLoad(32).set(cW);
  c.get(consts).vLoad(48).set(cWC);
  c.get(consts).vLoad(64).set(c4);
  c.get(consts).vLoad(80).set(ok);
  c.i32(0).set(o);
  c.i32(0).set(ow);
  /** Pushes the byte address of window position k (p = the window's first element + cv). */
  const at = (c: Code, k: number) => {
    c.get(p);
    if (k === 1 || k === 3) c.get(cBytes).add();
    if (k >= 2) c.get(rowBytes).add();
  };
  c.block((c) =>
    c.loop((c) => {
      c.get(ow).get(OW).geU().brIf(1);
      c.i32(0).set(cv);
      c.block((c) =>
        c.loop((c) => {
          c.get(cv).get(cBytes).geU().brIf(1);
          c.get((name === 'scatter' ? dst : src)).get(ow).get(cBytes).i32(1).shl().mul().add().get(cv).add().set(p);
          c.get(idxRow).get(o).add().vLoad().set(ii);
          c.get(ii).get(iv).i32x4Eq().set(m0);
          c.get(ii).get(iv).get(cC).i32x4Add().i32x4Eq().set(m1);
          c.get(ii).get(iv).get(cW).i32x4Add().i32x4Eq().set(m2);
          c.get(ii).get(iv).get(cWC).i32x4Add().i32x4Eq().set(m3);
          c.get(m0).get(m1).vOr().get(m2).get(m3).vOr().vOr().get(ok).vAnd().set(ok);
          if (name === 'scatter') {
            c.get(src).get(o).add().vLoad().set(xv);
            masks.forEach((m, k) => {
              at(c, k);
              c.get(xv).get(m).vAnd().vStore();
            });
          } else {
            c.get(dst).get(o).add();
            masks.forEach((m, k) => {
              at(c, k);
              c.vLoad().get(m).vAnd();
              if (k > 0) c.vOr();
            });
            c.vStore();
          }
          c.get(o).i32(16).add().set(o);
          c.get(cv).i32(16).add().set(cv);
          c.get(iv).get(c4).i32x4Add().set(iv);
          c.br(0);
        }),
      );
      c.get(iv).get(cC).i32x4Add().set(iv);
      c.get(ow).i32(1).add().set(ow);
      c.br(0);
    }),
  );
  c.get(consts).get(ok).vStore(80);
  return { name, params: 7, locals: [I32, I32, I32, I32, ...new Array<number>(12).fill(V128)], body: c };
}

const instances = new WeakMap<WebAssembly.Memory, UnpoolSimd | null>();

export function unpoolSimdFor(memory: WebAssembly.Memory): UnpoolSimd | null {
  if (instances.has(memory)) return instances.get(memory) ?? null;
  let result: UnpoolSimd | null = null;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = assembleModule([fn('scatter'), fn('gather')], { shared, minPages: 1, maxPages: 65536 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), { env: { memory } });
    result = instance.exports as unknown as UnpoolSimd;
  } catch {
    result = null; // no SIMD or an incompatible memory: the JS loops are used instead
  }
  instances.set(memory, result);
  return result;
}
