// Worker side of the DeconvNet family: loaded only through deconvnetFamily.network().
import type { FamilyNetworkBuilder } from '../../family';
import type { DeconvnetConfig } from '../config';
import { createDeconvnet } from './deconvnet';

export const deconvnetNetwork: FamilyNetworkBuilder<DeconvnetConfig> = {
  create: (config, seed) => createDeconvnet(config, seed),
};
