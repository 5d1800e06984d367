// A small KServe v2 HTTP endpoint over onnxruntime-node, on 127.0.0.1: enough of Triton's
// REST surface (health, model metadata and readiness, repository index, inference with the
// binary tensor extension) to test the client and the exported models end to end where a
// real Triton cannot run. Not a production server: one session per model, no queueing.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as Ort from 'onnxruntime-node';
import { loadOrt } from '../onnx/ort-engine';
import { readModelInfo } from '../onnx/onnx-model';
import {
  bytesToFloat32, float32Bytes, HEADER_LENGTH, joinBody, splitBody,
  type InferRequestHeader, type InferTensorHeader, type ModelMetadata,
} from './kserve-protocol';

export interface ServedModel {
  name: string;
  version: string;
  onnx: Uint8Array;
  /** Fixed input side as a Triton config would declare it (dims [S, S, 3]); default dynamic. */
  fixedSize?: number;
}

export interface TestServer {
  url: string;
  /** Requests answered so far, per path (tests check retries and batching). */
  hits: Map<string, number>;
  /** Make the next `n` inference requests fail with this HTTP status (transient-failure tests). */
  failNext(n: number, status: number): void;
  close(): Promise<void>;
}

interface Loaded {
  m: ServedModel;
  session: Ort.InferenceSession;
  metadata: ModelMetadata;
}

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(parts))));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startKserveTestServer(models: ServedModel[], port = 0): Promise<TestServer> {
  const ort = await loadOrt();
  const loaded = new Map<string, Loaded>();
  for (const m of models) {
    const info = readModelInfo(m.onnx, m.name);
    const session = await ort.InferenceSession.create(m.onnx, { intraOpNumThreads: 1 });
    const shape = (dims: (number | string | null)[]): number[] =>
      dims.map((d, i) => (i === 0 ? -1 : m.fixedSize && (i === 1 || i === 2) ? m.fixedSize : typeof d === 'number' ? d : -1));
    loaded.set(m.name, {
      m,
      session,
      metadata: {
        name: m.name,
        versions: [m.version],
        platform: 'onnxruntime_onnx',
        inputs: info.inputs.map((t) => ({ name: t.name, datatype: 'FP32', shape: shape(t.dims) })),
        outputs: info.outputs.map((t) => ({ name: t.name, datatype: 'FP32', shape: shape(t.dims) })),
      },
    });
  }
  const hits = new Map<string, number>();
  let failures = { n: 0, status: 503 };

  const infer = async (l: Loaded, body: Uint8Array, headerLength: number | null, res: ServerResponse): Promise<void> => {
    const { header, binary } = splitBody(body, headerLength);
    const h = header as InferRequestHeader;
    const feeds: Record<string, Ort.Tensor> = {};
    let off = 0;
    for (const t of h.inputs ?? []) {
      const spec = l.metadata.inputs.find((i) => i.name === t.name);
      if (!spec) return send(res, 400, { error: `unexpected inference input '${t.name}' for model '${l.m.name}'` });
      if (t.datatype !== spec.datatype) return send(res, 400, { error: `input '${t.name}' data-type is '${t.datatype}', model expects '${spec.datatype}'` });
      if (t.shape.length !== spec.shape.length || t.shape.some((d, i) => spec.shape[i] !== -1 && spec.shape[i] !== d)) {
        return send(res, 400, { error: `unexpected shape for input '${t.name}' for model '${l.m.name}'. Expected [${spec.shape.join(',')}], got [${t.shape.join(',')}]` });
      }
      const count = t.shape.reduce((a, b) => a * b, 1);
      let data: Float32Array;
      const size = t.parameters?.binary_data_size;
      if (size !== undefined) {
        data = bytesToFloat32(binary.subarray(off, off + size));
        off += size;
      } else data = Float32Array.from(t.data ?? []);
      if (data.length !== count) return send(res, 400, { error: `input '${t.name}' has ${data.length} values for shape [${t.shape.join(',')}]` });
      feeds[t.name] = new ort.Tensor('float32', data, t.shape);
    }
    const result = await l.session.run(feeds);
    const wanted = h.outputs?.length ? h.outputs : l.metadata.outputs.map((o) => ({ name: o.name, parameters: { binary_data: false } }));
    const outs: InferTensorHeader[] = [];
    const blobs: Uint8Array[] = [];
    for (const w of wanted) {
      const t = result[w.name];
      if (!t) return send(res, 400, { error: `unexpected inference output '${w.name}' for model '${l.m.name}'` });
      const f = t.data as Float32Array;
      if (w.parameters?.binary_data) {
        outs.push({ name: w.name, datatype: 'FP32', shape: [...t.dims], parameters: { binary_data_size: f.byteLength } });
        blobs.push(float32Bytes(f));
      } else outs.push({ name: w.name, datatype: 'FP32', shape: [...t.dims], data: Array.from(f) });
    }
    const reply = { model_name: l.m.name, model_version: l.m.version, ...(h.id ? { id: h.id } : {}), outputs: outs };
    if (!blobs.length) return send(res, 200, reply);
    const { body: out, headerLength: hl } = joinBody(reply, blobs);
    res.writeHead(200, { 'content-type': 'application/octet-stream', [HEADER_LENGTH]: String(hl), 'content-length': out.byteLength });
    res.end(out);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const body = await readBody(req);
    if (path === '/v2/health/ready' || path === '/v2/health/live') return send(res, 200, {});
    if (path === '/v2/repository/index' && req.method === 'POST') {
      return send(res, 200, [...loaded.values()].map((l) => ({ name: l.m.name, version: l.m.version, state: 'READY' })));
    }
    const m = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/.exec(path);
    if (!m) return send(res, 404, { error: `no route ${path}` });
    const l = loaded.get(decodeURIComponent(m[1]));
    if (!l || (m[2] !== undefined && decodeURIComponent(m[2]) !== l.m.version)) {
      return send(res, 404, { error: `Request for unknown model: '${decodeURIComponent(m[1])}'${m[2] ? ` version ${m[2]}` : ''} is not found` });
    }
    if (!m[3] && req.method === 'GET') return send(res, 200, l.metadata);
    if (m[3] === '/ready') return send(res, 200, {});
    if (m[3] === '/infer' && req.method === 'POST') {
      if (failures.n > 0) {
        failures = { ...failures, n: failures.n - 1 };
        return send(res, failures.status, { error: 'injected failure' });
      }
      const hl = req.headers[HEADER_LENGTH];
      return infer(l, body, typeof hl === 'string' ? Number(hl) : null, res);
    }
    return send(res, 405, { error: `${req.method} not allowed on ${path}` });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { error: err instanceof Error ? err.message : String(err) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${addr.port}`,
    hits,
    failNext: (n, status) => {
      failures = { n, status };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      for (const l of loaded.values()) await l.session.release();
    },
  };
}
