// WebAssembly SIMD loop of the 2x2 / stride 2 max-pool with switches (../MaxPoolWithArgmax.ts),
// assembled at run time and linked to tfjs-backend-wasm's memory like bnSimd.ts. Four channels
// per instruction: each window's four vectors are compared in row-major order with a strict
// greater-than (the first maximum wins ties, as tfjs's cpu kernel), values and int32 indices
// selected with bitselect. One call per output row:
//   row(xRow, yRow, idxRow, OW, Cbytes, rowBytes, consts)
// consts: 5 x i32x4 = the row's first indices (base + 0..3), C, W*C, W*C + C, 4 (splats).
// Cbytes = 4 * C with C a multiple of 4.
import { assembleModule, Code, I32, V128, type FunctionDef } from './wasmAssembler';

export interface ArgmaxPoolSimd {
  row(xRow: number, yRow: number, idxRow: number, OW: number, cBytes: number, rowBytes: number, consts: number): void;
}

function rowFn(): FunctionDef {
  const [xRow, yRow, idxRow, OW, cBytes, rowBytes, consts] = [0, 1, 2, 3, 4, 5, 6];
  const [ow, cv, p0, p, o] = [7, 8, 9, 10, 11];
  const [iv, cC, cW, cWC, c4, best, bi, v, m] = [12, 13, 14, 15, 16, 17, 18, 19, 20];
  const c = new Code();
  c.get(consts).vLoad(0).set(iv);
  c.get(consts).vLoad(16).set(cC);
  c.get(consts).vLoad(32).set(cW);
  c.get(consts).vLoad(48).set(cWC);
  c.get(consts).vLoad(64).set(c4);
  c.i32(0).set(o);
  c.i32(0).set(ow);
  /** Compares the vector at address (on the stack) with best; takes it and iv + offset if greater. */
  const step = (c: Code, offset: number) => {
    c.vLoad().tee(v).get(best).f32x4Gt().set(m);
    c.get(v).get(best).get(m).vBitselect().set(best);
    c.get(iv).get(offset).i32x4Add().get(bi).get(m).vBitselect().set(bi);
  };
  c.block((c) =>
    c.loop((c) => {
      c.get(ow).get(OW).geU().brIf(1);
      c.get(xRow).get(ow).get(cBytes).i32(1).shl().mul().add().set(p0);
      c.i32(0).set(cv);
      c.block((c) =>
        c.loop((c) => {
          c.get(cv).get(cBytes).geU().brIf(1);
          c.get(p0).get(cv).add().tee(p).vLoad().set(best);
          c.get(iv).set(bi);
          c.get(p).get(cBytes).add();
          step(c, cC);
          c.get(p).get(rowBytes).add();
          step(c, cW);
          c.get(p).get(rowBytes).add().get(cBytes).add();
          step(c, cWC);
          c.get(yRow).get(o).add().get(best).vStore();
          c.get(idxRow).get(o).add().get(bi).vStore();
          c.get(o).i32(16).add().set(o);
          c.get(cv).i32(16).add().set(cv);
          c.get(iv).get(c4).i32x4Add().set(iv);
          c.br(0);
        }),
      );
      // The loop advanced the indices by C; the next window starts 2C further.
      c.get(iv).get(cC).i32x4Add().set(iv);
      c.get(ow).i32(1).add().set(ow);
      c.br(0);
    }),
  );
  return { name: 'row', params: 7, locals: [I32, I32, I32, I32, I32, ...new Array<number>(9).fill(V128)], body: c };
}

const instances = new WeakMap<WebAssembly.Memory, ArgmaxPoolSimd | null>();

export function argmaxPoolSimdFor(memory: WebAssembly.Memory): ArgmaxPoolSimd | null {
  if (instances.has(memory)) return instances.get(memory) ?? null;
  let result: ArgmaxPoolSimd | null = null;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = assembleModule([rowFn()], { shared, minPages: 1, maxPages: 65536 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), { env: { memory } });
    result = instance.exports as unknown as ArgmaxPoolSimd;
  } catch {
    result = null; // no SIMD or an incompatible memory: the JS loop is used instead
  }
  instances.set(memory, result);
  return result;
}
