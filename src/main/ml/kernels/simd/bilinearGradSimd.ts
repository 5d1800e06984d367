// WebAssembly SIMD loop of bilinear resizing's gradient (../ResizeBilinearGrad.ts), assembled
// at run time and linked to tfjs-backend-wasm's memory like bnSimd.ts: four channels per
// instruction. One call per output row: its dy row is scattered into the two source rows
//   row(dyRow, dxTop, dxBot, OW, Cbytes, table, rowW)
// rowW: (1 - fr) x4, fr x4 (the row's weights); table: 48 bytes per output column: byte
// offsets of its left and right source pixels (i32), 8 bytes unused, (1 - fc) x4, fc x4.
// Read-modify-writes are sequential, so coinciding taps (clamped borders) add correctly.
import { assembleModule, Code, I32, V128, type FunctionDef } from './wasmAssembler';

export interface BilinearGradSimd {
  row(dyRow: number, dxTop: number, dxBot: number, OW: number, cBytes: number, table: number, rowW: number): void;
}

function rowFn(): FunctionDef {
  const [dyRow, dxTop, dxBot, OW, cBytes, table, rowW] = [0, 1, 2, 3, 4, 5, 6];
  const [col, cv, t, lo, hi, o, q] = [7, 8, 9, 10, 11, 12, 13];
  const [rt, rb, wl, wh, g, a, b] = [14, 15, 16, 17, 18, 19, 20];
  const c = new Code();
  c.get(rowW).vLoad(0).set(rt);
  c.get(rowW).vLoad(16).set(rb);
  c.i32(0).set(o);
  c.i32(0).set(col);
  /** dst[base + off + cv] += v * w */
  const acc = (c: Code, base: number, off: number, v: number, w: number) => {
    c.get(base).get(off).add().get(cv).add().tee(q);
    c.get(q).vLoad().get(v).get(w).f32x4Mul().f32x4Add().vStore();
  };
  c.block((c) =>
    c.loop((c) => {
      c.get(col).get(OW).geU().brIf(1);
      c.get(table).get(col).i32(48).mul().add().set(t);
      c.get(t).i32Load(0).set(lo);
      c.get(t).i32Load(4).set(hi);
      c.get(t).vLoad(16).set(wl);
      c.get(t).vLoad(32).set(wh);
      c.i32(0).set(cv);
      c.block((c) =>
        c.loop((c) => {
          c.get(cv).get(cBytes).geU().brIf(1);
          c.get(dyRow).get(o).add().vLoad().set(g);
          c.get(g).get(rt).f32x4Mul().set(a);
          c.get(g).get(rb).f32x4Mul().set(b);
          acc(c, dxTop, lo, a, wl);
          acc(c, dxTop, hi, a, wh);
          acc(c, dxBot, lo, b, wl);
          acc(c, dxBot, hi, b, wh);
          c.get(o).i32(16).add().set(o);
          c.get(cv).i32(16).add().set(cv);
          c.br(0);
        }),
      );
      c.get(col).i32(1).add().set(col);
      c.br(0);
    }),
  );
  return { name: 'row', params: 7, locals: [...new Array<number>(7).fill(I32), ...new Array<number>(7).fill(V128)], body: c };
}

const instances = new WeakMap<WebAssembly.Memory, BilinearGradSimd | null>();

export function bilinearGradSimdFor(memory: WebAssembly.Memory): BilinearGradSimd | null {
  if (instances.has(memory)) return instances.get(memory) ?? null;
  let result: BilinearGradSimd | null = null;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = assembleModule([rowFn()], { shared, minPages: 1, maxPages: 65536 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), { env: { memory } });
    result = instance.exports as unknown as BilinearGradSimd;
  } catch {
    result = null; // no SIMD or an incompatible memory: the JS loop is used instead
  }
  instances.set(memory, result);
  return result;
}
