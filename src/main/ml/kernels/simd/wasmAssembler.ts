// A minimal WebAssembly binary writer: just enough to emit a few SIMD functions that share
// tfjs-backend-wasm's linear memory (imported), so project kernels can run vectorised loops
// on tensors in place. Opcode numbers: WebAssembly core spec and the SIMD proposal's
// BinarySIMD.md (final encoding).

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function str(s: string): number[] {
  const bytes = [...Buffer.from(s, 'utf8')];
  return [...uleb(bytes.length), ...bytes];
}

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

/** Function body builder; each method appends one instruction. */
export class Code {
  readonly bytes: number[] = [];
  private raw(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }
  get(i: number): this {
    return this.raw(0x20, ...uleb(i));
  }
  set(i: number): this {
    return this.raw(0x21, ...uleb(i));
  }
  tee(i: number): this {
    return this.raw(0x22, ...uleb(i));
  }
  i32(v: number): this {
    return this.raw(0x41, ...sleb(v));
  }
  add(): this {
    return this.raw(0x6a);
  }
  sub(): this {
    return this.raw(0x6b);
  }
  mul(): this {
    return this.raw(0x6c);
  }
  shl(): this {
    return this.raw(0x74);
  }
  geU(): this {
    return this.raw(0x4f);
  }
  ltU(): this {
    return this.raw(0x49);
  }
  select(): this {
    return this.raw(0x1b);
  }
  /** `block` + body + `end`; inside, `br 0` leaves the block. */
  block(body: (c: this) => void): this {
    this.raw(0x02, 0x40);
    body(this);
    return this.raw(0x0b);
  }
  /** `loop` + body + `end`; inside, `br 0` jumps back to the start. */
  loop(body: (c: this) => void): this {
    this.raw(0x03, 0x40);
    body(this);
    return this.raw(0x0b);
  }
  br(depth: number): this {
    return this.raw(0x0c, ...uleb(depth));
  }
  brIf(depth: number): this {
    return this.raw(0x0d, ...uleb(depth));
  }
  /** memory.copy (bulk memory): dst, src, byte count on the stack. */
  memoryCopy(): this {
    return this.raw(0xfc, 0x0a, 0x00, 0x00);
  }
  i32Load(offset = 0): this {
    return this.raw(0x28, 2, ...uleb(offset));
  }
  f64Load(offset = 0): this {
    return this.raw(0x2b, 3, ...uleb(offset));
  }
  f64Store(offset = 0): this {
    return this.raw(0x39, 3, ...uleb(offset));
  }
  f64Add(): this {
    return this.raw(0xa0);
  }
  f64PromoteF32(): this {
    return this.raw(0xbb);
  }
  private simd(op: number, ...imm: number[]): this {
    return this.raw(0xfd, ...uleb(op), ...imm);
  }
  /** v128.load with a 4-byte alignment hint (tensor rows are only float-aligned). */
  vLoad(offset = 0): this {
    return this.simd(0x00, 2, ...uleb(offset));
  }
  vStore(offset = 0): this {
    return this.simd(0x0b, 2, ...uleb(offset));
  }
  vZero(): this {
    return this.simd(0x0c, ...new Array<number>(16).fill(0));
  }
  f32x4ExtractLane(lane: number): this {
    return this.simd(0x1f, lane);
  }
  f32x4Gt(): this {
    return this.simd(0x44);
  }
  vAnd(): this {
    return this.simd(0x4e);
  }
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Sub(): this {
    return this.simd(0xe5);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
  /** pmax(a, b) = a < b ? b : a. */
  f32x4Pmax(): this {
    return this.simd(0xeb);
  }
  /** bitselect(a, b, mask) = (a & mask) | (b & ~mask). */
  vBitselect(): this {
    return this.simd(0x52);
  }
  i32x4Add(): this {
    return this.simd(0xae);
  }
  i32x4Eq(): this {
    return this.simd(0x37);
  }
  vOr(): this {
    return this.simd(0x50);
  }
}

export interface FunctionDef {
  name: string;
  params: number;
  /** Extra locals after the i32 parameters, in order. */
  locals: number[];
  body: Code;
}

/** A module importing env.memory and exporting `functions` (all i32 params, no results). */
export function assembleModule(functions: FunctionDef[], memory: { shared: boolean; minPages: number; maxPages: number }): Uint8Array {
  const types = functions.map((f) => [0x60, ...uleb(f.params), ...new Array<number>(f.params).fill(I32), 0x00]);
  const typeSec = section(1, [...uleb(types.length), ...types.flat()]);
  // Shared memories must declare a maximum; unshared ones declare none, so any maximum matches.
  const limits = memory.shared ? [0x03, ...uleb(memory.minPages), ...uleb(memory.maxPages)] : [0x00, ...uleb(memory.minPages)];
  const importSec = section(2, [...uleb(1), ...str('env'), ...str('memory'), 0x02, ...limits]);
  const funcSec = section(3, [...uleb(functions.length), ...functions.map((_, i) => uleb(i)).flat()]);
  const exportSec = section(7, [
    ...uleb(functions.length),
    ...functions.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]).flat(),
  ]);
  const bodies = functions.map((f) => {
    // Run-length encoded local declarations.
    const groups: Array<[number, number]> = [];
    for (const t of f.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const payload = [...uleb(groups.length), ...groups.map(([n, t]) => [...uleb(n), t]).flat(), ...f.body.bytes, 0x0b];
    return [...uleb(payload.length), ...payload];
  });
  const codeSec = section(10, [...uleb(bodies.length), ...bodies.flat()]);
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...typeSec, ...importSec, ...funcSec, ...exportSec, ...codeSec]);
}
