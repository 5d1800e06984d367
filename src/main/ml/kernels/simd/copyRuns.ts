// copyRuns(dst, dstStride, src, srcStride, bytes, count): `count` memory.copy calls of `bytes`
// each, stepping both addresses by their strides. Channel concatenation/splitting and the
// up-convolution's phase interleave are all "copy runs of C floats with two strides"; the
// bulk-memory copy moves a run at memcpy speed where a JS loop moves one float at a time.
import { assembleModule, Code, I32, type FunctionDef } from './wasmAssembler';

export interface CopyRuns {
  copyRuns(dst: number, dstStride: number, src: number, srcStride: number, bytes: number, count: number): void;
}

function copyRunsFn(): FunctionDef {
  const [dst, dstStride, src, srcStride, bytes, count] = [0, 1, 2, 3, 4, 5];
  const i = 6;
  const c = new Code();
  c.i32(0).set(i);
  c.block((c) =>
    c.loop((c) => {
      c.get(i).get(count).geU().brIf(1);
      c.get(dst).get(src).get(bytes).memoryCopy();
      c.get(dst).get(dstStride).add().set(dst);
      c.get(src).get(srcStride).add().set(src);
      c.get(i).i32(1).add().set(i);
      c.br(0);
    }),
  );
  return { name: 'copyRuns', params: 6, locals: [I32], body: c };
}

const instances = new WeakMap<WebAssembly.Memory, CopyRuns | null>();

export function copyRunsFor(memory: WebAssembly.Memory): CopyRuns | null {
  if (instances.has(memory)) return instances.get(memory) ?? null;
  let result: CopyRuns | null = null;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = assembleModule([copyRunsFn()], { shared, minPages: 1, maxPages: 65536 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), { env: { memory } });
    result = instance.exports as unknown as CopyRuns;
  } catch {
    result = null;
  }
  instances.set(memory, result);
  return result;
}
