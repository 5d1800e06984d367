/** Stored with every prediction ONNX Runtime made (masks.backend). Its own module so status code needs no runtime. */
export const ORT_ENGINE_NAME = 'onnxruntime-cpu';
