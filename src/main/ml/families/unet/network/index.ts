// Worker side of the U-Net family (this folder: TensorFlow.js code): builds the network of
// ./unet.ts. Loaded only through unetFamily.network(), i.e. in the ML worker; the lint rule
// keeps main-side code from importing it.
import type { FamilyNetworkBuilder } from '../../family';
import type { UnetConfig } from '../config';
import { createUnet } from './unet';

export const unetNetwork: FamilyNetworkBuilder<UnetConfig> = {
  create: (config, seed) => createUnet(config, seed),
};
