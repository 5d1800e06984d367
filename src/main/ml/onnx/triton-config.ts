// Triton Inference Server model configuration (config.pbtxt, protobuf text format) and the
// README of an exported repository. Dims leave out the batch dimension (max_batch_size > 0);
// height and width are -1 (dynamic), so Triton accepts any size and batches requests of
// the same size together.
import type { ExportSource, OnnxExport } from './export-onnx';

export interface TritonOptions {
  maxBatchSize: number;
  /** Model instances per server (each an ONNX Runtime session on the CPU). */
  instances: number;
  queueDelayUs: number;
}

export function tritonConfig(name: string, e: OnnxExport, o: TritonOptions): string {
  const preferred = [4, 8, 16, 32].filter((b) => b <= o.maxBatchSize);
  return `# HemaSeg ${e.metadata.model_ref}: ${e.metadata.task}, classes ${e.metadata.classes}
# input: ${e.metadata.normalisation}; output: ${e.metadata.output}
name: "${name}"
platform: "onnxruntime_onnx"
max_batch_size: ${o.maxBatchSize}
input [
  {
    name: "${e.inputName}"
    data_type: TYPE_FP32
    dims: [ -1, -1, 3 ]
  }
]
output [
  {
    name: "${e.outputName}"
    data_type: TYPE_FP32
    dims: [ -1, -1, ${e.channels} ]
  }
]
dynamic_batching {
  preferred_batch_size: [ ${preferred.join(', ')} ]
  max_queue_delay_microseconds: ${o.queueDelayUs}
}
instance_group [
  {
    count: ${o.instances}
    kind: KIND_CPU
  }
]
version_policy: { latest: { num_versions: 1 } }
`;
}

export function tritonReadme(name: string, src: ExportSource, e: OnnxExport, o: TritonOptions): string {
  return `# Triton model repository: ${name} (HemaSeg ${src.name}@${src.version})

\`\`\`
${name}/config.pbtxt          Triton configuration (ONNX Runtime backend)
${name}/${src.version}/model.onnx         the network (sha256 ${e.sha256})
\`\`\`

Input \`${e.inputName}\`: float32 [batch, height, width, 3], ${e.metadata.normalisation};
height and width multiples of ${e.metadata.size_multiple} (HemaSeg sends ${e.inputSize}x${e.inputSize}).
Output \`${e.outputName}\`: ${e.metadata.output}; classes ${e.metadata.classes}.

## Run

\`\`\`sh
docker run --rm -p 8000:8000 -p 8001:8001 -p 8002:8002 \\
  -v "$PWD":/models nvcr.io/nvidia/tritonserver:24.08-py3 \\
  tritonserver --model-repository=/models
curl -s localhost:8000/v2/health/ready && curl -s localhost:8000/v2/models/${name}
hemaseg segment smears.hemaseg --engine triton --url http://localhost:8000 --model ${name}
\`\`\`

(run from this folder). \`instance_group\` runs ${o.instances} instance(s) of the model on the
CPU; on a GPU machine change \`kind: KIND_CPU\` to \`KIND_GPU\`. Dynamic batching groups
requests of the same size up to ${o.maxBatchSize} images. Several Triton servers behind one
HTTP load balancer (any round-robin proxy, or a Kubernetes Service) serve as one endpoint:
every request is independent (KServe v2 protocol, no session state).
`;
}
