import { deflateSync, inflateSync } from 'node:zlib';

// Label maps compress ~50x with deflate; instance ids are stored little-endian uint16.
export function packLabels(labels: Uint8Array): Buffer {
  return deflateSync(labels, { level: 6 });
}

export function unpackLabels(blob: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(inflateSync(blob));
  if (out.length !== expected) throw new Error(`stored label map has ${out.length} pixels, expected ${expected}`);
  return out;
}

export function packInstances(ids: Uint16Array): Buffer {
  const bytes = Buffer.alloc(ids.length * 2);
  for (let i = 0; i < ids.length; i++) bytes.writeUInt16LE(ids[i], i * 2);
  return deflateSync(bytes, { level: 6 });
}

export function unpackInstances(blob: Uint8Array, expected: number): Uint16Array {
  const bytes = inflateSync(blob);
  if (bytes.length !== expected * 2) throw new Error(`stored instance map has ${bytes.length / 2} pixels, expected ${expected}`);
  const out = new Uint16Array(expected);
  for (let i = 0; i < expected; i++) out[i] = bytes.readUInt16LE(i * 2);
  return out;
}
