// What an exported ONNX file says about itself (ModelProto.metadata_props, string to
// string), so a server or another program can run it without HemaSeg's registry: classes and
// their label values, input size, layout and normalisation, task, the source model and a
// checksum of its weights.
import type { ModelTask } from '../../../shared/domain';
import { inputSettings, outputChannels, type BaseModelConfig } from '../families/common-config';

export const ONNX_FORMAT = 'hemaseg-onnx';
export const ONNX_FORMAT_VERSION = 1;

/** Class names per output channel (binary: the one channel is p(cell)). */
export function classNames(task: ModelTask): string[] {
  if (task === 'binary') return ['cell'];
  return task === 'multiclass' ? ['background', 'cytoplasm', 'nucleus'] : ['background', 'cytoplasm', 'nucleus', 'edge'];
}

export const NORMALISATION = 'rgb / 255: float32 in [0, 1], channels R,G,B, NHWC';

export interface OnnxModelMeta {
  task: ModelTask;
  classes: string[];
  channels: number;
  inputSize: number;
  sizeMultiple: number;
  /** The stored config (family-specific fields beyond the base ones). */
  config: BaseModelConfig & Record<string, unknown>;
  modelRef: string | null;
  weightsSha256: string | null;
}

export function metadataProps(config: BaseModelConfig, source: { family: string; sizeMultiple: number; ref: string; name: string; version: number; weightsSha256: string; exportedBy: string }): Record<string, string> {
  const input = inputSettings(config);
  return {
    'hemaseg.format': `${ONNX_FORMAT}/${ONNX_FORMAT_VERSION}`,
    task: config.task,
    classes: JSON.stringify(classNames(config.task)),
    // Channel c of a softmax output is label value c (0 background, 1 cytoplasm, 2 nucleus, 3 edge).
    output: config.task === 'binary' ? 'sigmoid p(cell), NHWC [N, H, W, 1]' : `softmax over classes, NHWC [N, H, W, ${outputChannels(config.task)}]`,
    input_size: String(config.inputSize),
    size_multiple: String(source.sizeMultiple),
    input_layout: 'NHWC',
    normalisation: input.stainNorm === 'none' ? NORMALISATION : `${NORMALISATION}, after '${input.stainNorm}' stain normalisation (HemaSeg applies it before the network)`,
    // 'squash': resize the image to input_size square; 'fit': longer side to input_size, mirror-pad to a multiple of size_multiple.
    input_mode: input.inputMode,
    family: source.family,
    config: JSON.stringify(config),
    model_ref: source.ref,
    model_name: source.name,
    model_version: String(source.version),
    weights_sha256: source.weightsSha256,
    exported_by: source.exportedBy,
  };
}
