// Encoding a GraphSpec as an ONNX ModelProto and reading one back, with onnx-proto (the ONNX
// schema compiled for protobufjs): the wire format comes from the maintained schema, not from
// hand-written protobuf. Reading is used to check a file before a runtime session is made,
// so a model from elsewhere with the wrong shape or classes fails with a clear message.
import { onnx } from 'onnx-proto';
import type { ModelTask } from '../../../shared/domain';
import { ExportError } from './graph-builder';
import { classNames, ONNX_FORMAT, type OnnxModelMeta } from './onnx-metadata';
import type { AttrValue, Dim, GraphSpec, GraphTensor } from './graph-builder';

/** ONNX IR version 8 with opset 17 (ONNX 1.12+; onnxruntime 1.12+, Triton 22.07+). */
export const IR_VERSION = 8;
export const OPSET = 17;

function tensorProto(t: GraphTensor): onnx.ITensorProto {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return {
    name: t.name,
    dims: t.dims,
    dataType: t.data instanceof Float32Array ? onnx.TensorProto.DataType.FLOAT : onnx.TensorProto.DataType.INT64,
    // raw_data is little-endian, as typed arrays are on every platform Node runs on.
    rawData: bytes,
  };
}

function attribute(name: string, v: AttrValue): onnx.IAttributeProto {
  if (typeof v === 'string') return { name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: v };
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: v };
}

function valueInfo(name: string, dims: Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export function encodeModel(g: GraphSpec, metadata: Record<string, string>, producerVersion: string): Uint8Array {
  const model: onnx.IModelProto = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'HemaSeg',
    producerVersion,
    modelVersion: 1,
    docString: 'HemaSeg white-blood-cell segmentation network (inference graph, batch norm folded)',
    graph: {
      name: g.name,
      node: g.nodes.map((n) => ({
        opType: n.op,
        name: n.name,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
      })),
      initializer: g.initializers.map(tensorProto),
      input: [valueInfo(g.input.name, g.input.dims)],
      output: [valueInfo(g.output.name, g.output.dims)],
    },
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  };
  const err = onnx.ModelProto.verify(model);
  if (err) throw new ExportError(`internal error building the ONNX model: ${err}`);
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/** Shape of a graph input or output: numbers for fixed dimensions, names (or null) for dynamic ones. */
export interface TensorSignature {
  name: string;
  elemType: number;
  dims: (number | string | null)[];
}

export interface OnnxModelInfo {
  irVersion: number;
  opset: number | null;
  producer: string;
  inputs: TensorSignature[];
  outputs: TensorSignature[];
  metadata: Record<string, string>;
}

type LongLike = number | { toNumber(): number };
const num = (v: LongLike | null | undefined): number => (v === null || v === undefined ? 0 : typeof v === 'number' ? v : v.toNumber());

function signature(v: onnx.IValueInfoProto): TensorSignature {
  const t = v.type?.tensorType;
  return {
    name: v.name ?? '',
    elemType: t?.elemType ?? 0,
    dims: (t?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue !== null && d.dimValue !== undefined && num(d.dimValue as LongLike) > 0 ? num(d.dimValue as LongLike) : null)),
  };
}

/** Reads the signature and metadata of an ONNX file; `label` names it in errors. */
export function readModelInfo(bytes: Uint8Array, label: string): OnnxModelInfo {
  let m: onnx.ModelProto;
  try {
    m = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new ExportError(`${label}: not an ONNX model (${(err as Error).message})`);
  }
  if (!m.graph) throw new ExportError(`${label}: not an ONNX model (no graph)`);
  const initNames = new Set((m.graph.initializer ?? []).map((t) => t.name));
  const def = (m.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  return {
    irVersion: num(m.irVersion as LongLike),
    opset: def ? num(def.version as LongLike) : null,
    producer: `${m.producerName ?? ''} ${m.producerVersion ?? ''}`.trim(),
    // Old exporters list initializers among the inputs; they are not fed.
    inputs: (m.graph.input ?? []).filter((i) => !initNames.has(i.name ?? '')).map(signature),
    outputs: (m.graph.output ?? []).map(signature),
    metadata: Object.fromEntries((m.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? ''])),
  };
}

const TASK_BY_CHANNELS: Record<number, ModelTask> = { 1: 'binary', 3: 'multiclass', 4: 'multiclass-edge' };
const dimText = (dims: (number | string | null)[]): string => `[${dims.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;

/**
 * Checks that an ONNX file is a segmentation network HemaSeg can run: one float32 NHWC RGB
 * input with dynamic height and width, one float32 NHWC output of 1, 3 or 4 class
 * probabilities, and (when the file says) classes and task matching that output.
 */
export function checkSegmentationModel(info: OnnxModelInfo, label: string): OnnxModelMeta & { inputName: string; outputName: string } {
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  if (info.inputs.length !== 1) throw new ExportError(`${label}: expected one input (an NHWC RGB image batch), the model has ${info.inputs.length} (${info.inputs.map((i) => i.name).join(', ')})`);
  if (info.outputs.length !== 1) throw new ExportError(`${label}: expected one output (class probabilities), the model has ${info.outputs.length} (${info.outputs.map((o) => o.name).join(', ')})`);
  const inp = info.inputs[0];
  const out = info.outputs[0];
  const need = 'HemaSeg feeds float32 [batch, height, width, 3] (NHWC, RGB in [0, 1]) with any height and width';
  if (inp.elemType !== FLOAT) throw new ExportError(`${label}: input '${inp.name}' is not float32 (ONNX type ${inp.elemType}); ${need}`);
  if (inp.dims.length !== 4 || inp.dims[3] !== 3) {
    const hint = inp.dims.length === 4 && inp.dims[1] === 3 ? ' (this looks like an NCHW model: put a Transpose in front of it or export it NHWC)' : '';
    throw new ExportError(`${label}: input '${inp.name}' has shape ${dimText(inp.dims)}${hint}; ${need}`);
  }
  if (typeof inp.dims[1] === 'number' || typeof inp.dims[2] === 'number') {
    throw new ExportError(`${label}: input '${inp.name}' has a fixed size ${dimText(inp.dims)}; ${need} (export with dynamic height and width)`);
  }
  if (out.elemType !== FLOAT || out.dims.length !== 4) throw new ExportError(`${label}: output '${out.name}' has shape ${dimText(out.dims)}; expected float32 [batch, height, width, classes]`);
  const channels = out.dims[3];
  if (typeof channels !== 'number' || !TASK_BY_CHANNELS[channels]) {
    throw new ExportError(`${label}: output '${out.name}' has ${channels === null ? 'a dynamic number of' : channels} class channels ${dimText(out.dims)}; HemaSeg needs 1 (p(cell)), 3 (background, cytoplasm, nucleus) or 4 (+ edge)`);
  }
  const md = info.metadata;
  const task = (md.task as ModelTask | undefined) ?? TASK_BY_CHANNELS[channels];
  if (TASK_BY_CHANNELS[channels] !== task) throw new ExportError(`${label}: metadata says task '${md.task}' but the output has ${channels} channels`);
  if (md.classes !== undefined) {
    let classes: unknown;
    try {
      classes = JSON.parse(md.classes);
    } catch {
      classes = md.classes.split(',').map((s) => s.trim());
    }
    const want = classNames(task);
    if (!Array.isArray(classes) || classes.join(',') !== want.join(',')) {
      throw new ExportError(`${label}: the model's classes are ${JSON.stringify(classes)}; HemaSeg's ${task} output channels are ${JSON.stringify(want)}`);
    }
  }
  const isOurs = (md['hemaseg.format'] ?? '').startsWith(ONNX_FORMAT);
  const config = isOurs && md.config ? (JSON.parse(md.config) as OnnxModelMeta['config']) : null;
  const inputSize = Number(md.input_size) || config?.inputSize || 128;
  const sizeMultiple = Number(md.size_multiple) || (typeof config?.depth === 'number' ? 2 ** config.depth : 16);
  return {
    task,
    classes: classNames(task),
    channels,
    inputSize,
    sizeMultiple,
    config: config ?? { task, inputSize, inChannels: 3 },
    modelRef: md.model_ref ?? null,
    weightsSha256: md.weights_sha256 ?? null,
    inputName: inp.name,
    outputName: out.name,
  };
}
