// The network config from the shared (UI/API) U-Net config. TensorFlow-free, so the main
// process can validate a request without loading the engine.
import { resolveUnetConfig, type UnetConfig as NetConfig } from '../model/config';
import type { UnetConfig } from '../../../shared/ml';

export type { NetConfig };

/** Full network config (RGB input); throws a clear message for a bad architecture. */
export function netConfigFor(c: UnetConfig): NetConfig {
  return resolveUnetConfig({
    task: c.task, inputSize: c.inputSize, depth: c.depth, baseFilters: c.baseFilters, dropout: c.dropout, inChannels: 3,
    // Input settings only when given, so a request without them builds an old-style model.
    ...(c.inputMode !== undefined ? { inputMode: c.inputMode } : {}),
    ...(c.cellDiameter !== undefined ? { cellDiameter: c.cellDiameter } : {}),
    ...(c.stainNorm !== undefined ? { stainNorm: c.stainNorm } : {}),
  });
}
