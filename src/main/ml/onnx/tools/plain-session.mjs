#!/usr/bin/env node
// Runs an exported model in a plain onnxruntime-node session, with nothing of HemaSeg:
// proof that model.onnx is self-contained. Reads a float32 NHWC input file, writes the
// float32 output and prints the session's input/output names and the output shape as JSON.
//   node plain-session.mjs model.onnx input.f32 N H W output.f32
import { readFileSync, writeFileSync } from 'node:fs';
import ort from 'onnxruntime-node';

const [model, input, n, h, w, output] = process.argv.slice(2);
if (!output) {
  console.error('usage: plain-session.mjs model.onnx input.f32 N H W output.f32');
  process.exit(2);
}
try {
  const session = await ort.InferenceSession.create(model);
  const bytes = readFileSync(input);
  const x = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', x, [Number(n), Number(h), Number(w), 3]) };
  const out = (await session.run(feeds))[session.outputNames[0]];
  writeFileSync(output, Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength));
  console.log(JSON.stringify({ inputs: session.inputNames, outputs: session.outputNames, dims: out.dims }));
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
