// Public API of the segmentation model (see README.md in this folder).
export { DEFAULT_UNET_CONFIG, levelWidths, numClasses, outputChannels, resolveUnetConfig, type UnetConfig } from './config';
export { createUnet, type ApplyOptions, type Unet } from './unet';
export { labelToClass, labelsToClasses, lossFn, type LossOptions } from './loss';
export { createOptimizer, globalNorm, trainStep, type AdamOptions, type TrainStepOptions, type TrainStepResult } from './train';
export { probsToClasses } from './predict';
export {
  deserializeModel,
  MODEL_FORMAT,
  MODEL_JSON_FILE,
  parseModelJson,
  readModelFiles,
  restoreOptimizer,
  serializeModel,
  serializeOptimizer,
  WEIGHTS_FILE,
  writeModelFiles,
  type ModelJson,
  type SerializedModel,
  type SerializedOptimizer,
} from './serialize';
export { activeBackend, initBackend, type BackendInfo, type BackendName, type InitBackendOptions } from '../backend/initBackend';
