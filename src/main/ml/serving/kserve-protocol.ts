// The parts of the KServe v2 inference protocol (REST) that HemaSeg speaks, shared by the
// client and the test server: model metadata, and inference requests/responses with the
// binary tensor data extension (a JSON header of Inference-Header-Content-Length bytes
// followed by the raw little-endian tensors, in the order the JSON lists them).

export const HEADER_LENGTH = 'inference-header-content-length';

export interface TensorMetadata {
  name: string;
  datatype: string;
  /** -1 for a dynamic dimension; Triton puts the batch dimension first when batching. */
  shape: number[];
}

export interface ModelMetadata {
  name: string;
  versions?: string[];
  platform: string;
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
}

export interface InferTensorHeader {
  name: string;
  shape: number[];
  datatype: string;
  parameters?: { binary_data_size?: number; binary_data?: boolean };
  /** JSON-encoded data (when the binary extension is not used). */
  data?: number[];
}

export interface InferRequestHeader {
  id?: string;
  inputs: InferTensorHeader[];
  outputs?: { name: string; parameters?: { binary_data?: boolean } }[];
}

export interface InferResponseHeader {
  id?: string;
  model_name: string;
  model_version?: string;
  outputs: InferTensorHeader[];
}

/** Splits a body into its JSON header and binary part; `headerLength` from the HTTP header (absent: all JSON). */
export function splitBody(body: Uint8Array, headerLength: number | null): { header: unknown; binary: Uint8Array } {
  const n = headerLength ?? body.byteLength;
  if (!(n >= 0 && n <= body.byteLength)) throw new Error(`Inference-Header-Content-Length ${n} exceeds the body (${body.byteLength} bytes)`);
  const text = new TextDecoder().decode(body.subarray(0, n));
  return { header: JSON.parse(text) as unknown, binary: body.subarray(n) };
}

/** JSON header + binary tensors as one body, and the header length to send with it. */
export function joinBody(header: object, tensors: Uint8Array[]): { body: Uint8Array<ArrayBuffer>; headerLength: number } {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const total = json.byteLength + tensors.reduce((s, t) => s + t.byteLength, 0);
  const body = new Uint8Array(total);
  body.set(json, 0);
  let off = json.byteLength;
  for (const t of tensors) {
    body.set(t, off);
    off += t.byteLength;
  }
  return { body, headerLength: json.byteLength };
}

export function float32Bytes(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** A copy of float32 tensor bytes (the binary part need not be 4-byte aligned). */
export function bytesToFloat32(b: Uint8Array): Float32Array {
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}
