// WebAssembly SIMD loops of leaky ReLU (forward and gradient), assembled at run time and
// linked to tfjs-backend-wasm's memory like bnSimd.ts: four floats per instruction where a JS
// loop does one (measured on [8, 120, 120, 64]: the stock wasm LeakyRelu is a scalar loop
// ~4x slower than Relu; a JS gradient loop ~5x). `consts` points at 8 floats on the heap:
// alpha x4, (1 - alpha) x4. Lengths are in bytes, multiples of 16 (the caller does the tail).
//   fwd(x, y, bytes, consts):      y = pmax(x * alpha, x)          (= x > 0 ? x : alpha x, 0 <= alpha < 1)
//   grad(dy, x, dx, bytes, consts): dx = dy * (alpha + ((x > 0) & (1 - alpha)))
import { assembleModule, Code, I32, V128, type FunctionDef } from './wasmAssembler';

export interface LeakySimd {
  fwd(x: number, y: number, bytes: number, consts: number): void;
  grad(dy: number, x: number, dx: number, bytes: number, consts: number): void;
}

function fwdFn(): FunctionDef {
  const [x, y, bytes, consts] = [0, 1, 2, 3];
  const [p, av, v] = [4, 5, 6];
  const c = new Code();
  c.get(consts).vLoad(0).set(av);
  c.i32(0).set(p);
  c.block((c) =>
    c.loop((c) => {
      c.get(p).get(bytes).geU().brIf(1);
      c.get(y).get(p).add();
      c.get(x).get(p).add().vLoad().tee(v).get(av).f32x4Mul().get(v).f32x4Pmax();
      c.vStore();
      c.get(p).i32(16).add().set(p);
      c.br(0);
    }),
  );
  return { name: 'fwd', params: 4, locals: [I32, V128, V128], body: c };
}

function gradFn(): FunctionDef {
  const [dy, x, dx, bytes, consts] = [0, 1, 2, 3, 4];
  const [p, av, bv, zero] = [5, 6, 7, 8];
  const c = new Code();
  c.get(consts).vLoad(0).set(av);
  c.get(consts).vLoad(16).set(bv);
  c.vZero().set(zero);
  c.i32(0).set(p);
  c.block((c) =>
    c.loop((c) => {
      c.get(p).get(bytes).geU().brIf(1);
      c.get(dx).get(p).add();
      c.get(dy).get(p).add().vLoad();
      c.get(x).get(p).add().vLoad().get(zero).f32x4Gt().get(bv).vAnd().get(av).f32x4Add();
      c.f32x4Mul().vStore();
      c.get(p).i32(16).add().set(p);
      c.br(0);
    }),
  );
  return { name: 'grad', params: 5, locals: [I32, V128, V128, V128], body: c };
}

const instances = new WeakMap<WebAssembly.Memory, LeakySimd | null>();

export function leakySimdFor(memory: WebAssembly.Memory): LeakySimd | null {
  if (instances.has(memory)) return instances.get(memory) ?? null;
  let result: LeakySimd | null = null;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = assembleModule([fwdFn(), gradFn()], { shared, minPages: 1, maxPages: 65536 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), { env: { memory } });
    result = instance.exports as unknown as LeakySimd;
  } catch {
    result = null; // no SIMD or an incompatible memory: the JS loops are used instead
  }
  instances.set(memory, result);
  return result;
}
