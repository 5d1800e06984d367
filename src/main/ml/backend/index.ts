// TensorFlow.js backend selection (native TF > wasm > cpu) for every process that runs models.
export { activeBackend, initBackend, type BackendInfo, type BackendName, type InitBackendOptions } from './initBackend';
export { wasmBinaryDir } from './wasmPaths';
