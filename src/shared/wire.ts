// Binary-safe message codec for both transports: typed arrays travel as raw bytes
// after a JSON header, never as JSON number arrays. No runtime dependencies.

type TypedKind = 'u8' | 'u16' | 'i32' | 'f32';
const CTORS = { u8: Uint8Array, u16: Uint16Array, i32: Int32Array, f32: Float32Array } as const;
const MAGIC = 0x31575348; // 'HSW1'

function kindOf(v: unknown): TypedKind | null {
  if (v instanceof Uint8Array) return 'u8';
  if (v instanceof Uint16Array) return 'u16';
  if (v instanceof Int32Array) return 'i32';
  if (v instanceof Float32Array) return 'f32';
  return null;
}

export function encodeMessage(value: unknown): Uint8Array {
  const blobs: { kind: TypedKind; bytes: Uint8Array }[] = [];
  const json = JSON.stringify(value ?? null, function (this: unknown, _key, v: unknown) {
    const kind = kindOf(v);
    if (kind) {
      const t = v as Uint8Array | Uint16Array | Int32Array | Float32Array;
      blobs.push({ kind, bytes: new Uint8Array(t.buffer, t.byteOffset, t.byteLength) });
      return { $bin: blobs.length - 1, $t: kind };
    }
    return v;
  });
  const header = new TextEncoder().encode(json);
  // Align every blob to 4 bytes so typed views need no copy on the other side.
  const pad = (n: number): number => (4 - (n % 4)) % 4;
  let size = 12 + header.length + pad(header.length);
  const offsets: number[] = [];
  for (const b of blobs) {
    offsets.push(size);
    size += 8 + b.bytes.length + pad(b.bytes.length);
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, header.length, true);
  view.setUint32(8, blobs.length, true);
  out.set(header, 12);
  blobs.forEach((b, i) => {
    const at = offsets[i];
    view.setUint32(at, b.bytes.length, true);
    out.set(b.bytes, at + 8);
  });
  return out;
}

export function decodeMessage<T = unknown>(bytes: Uint8Array): T {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12 || view.getUint32(0, true) !== MAGIC) throw new Error('not a HemaSeg wire message');
  const headerLen = view.getUint32(4, true);
  const count = view.getUint32(8, true);
  const json = new TextDecoder().decode(bytes.subarray(12, 12 + headerLen));
  const pad = (n: number): number => (4 - (n % 4)) % 4;
  const blobs: Uint8Array[] = [];
  let at = 12 + headerLen + pad(headerLen);
  for (let i = 0; i < count; i++) {
    const len = view.getUint32(at, true);
    // Copy out so the result owns aligned memory independent of the transport buffer.
    blobs.push(bytes.slice(at + 8, at + 8 + len));
    at += 8 + len + pad(len);
  }
  return JSON.parse(json, (_key, v: unknown) => {
    if (v && typeof v === 'object' && '$bin' in v && '$t' in v) {
      const { $bin, $t } = v as { $bin: number; $t: TypedKind };
      const raw = blobs[$bin];
      const Ctor = CTORS[$t];
      return new Ctor(raw.buffer as ArrayBuffer, raw.byteOffset, raw.byteLength / Ctor.BYTES_PER_ELEMENT);
    }
    return v;
  }) as T;
}
