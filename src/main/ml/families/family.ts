// A model family: everything HemaSeg needs to know about one kind of network, as data and
// small pure functions (main-side safe: no TensorFlow here). The network itself is loaded
// on demand by `network()`, which only the ML worker calls. A new family is one folder
// beside unet/ (its index.ts exporting a ModelFamily, its config, network and tests) and one
// line in registry.ts.
import type { ModelTask } from '../../../shared/domain';
import type { FamilyOptionInfo, ModelInputKind } from '../../../shared/ml';
import type { SegmentationModel } from '../model/segmentation-model';
import type { GraphSpec } from '../onnx/graph-builder';
import type { NamedWeights } from './model-file';
import type { BaseModelConfig } from './common-config';
import type { ClipTraining } from '../training/clip/clip-seam';

/** What a variant presets (the rest comes from the family's defaults). */
export interface FamilyVariant<C> {
  name: string;
  label: string;
  config: Partial<C>;
}

/** The worker side of a family: builds its network (tfjs variables under stable names). */
export interface FamilyNetworkBuilder<C extends BaseModelConfig> {
  /** A new network with weights drawn from `seed` (same seed, same weights on every backend). */
  create(config: C, seed: number): SegmentationModel<C>;
}

export interface ModelFamily<C extends BaseModelConfig = BaseModelConfig> {
  /** Stored in models.family and model.json; never renamed. */
  readonly id: string;
  readonly label: string;
  /** One sentence for `hemaseg families` and the train form. */
  readonly summary: string;
  readonly inputKind: ModelInputKind;
  readonly tasks: readonly ModelTask[];
  /** Every config option, described for the CLI (flags) and the train form (fields). */
  readonly options: readonly FamilyOptionInfo[];
  readonly variants: readonly FamilyVariant<C>[];
  /** The config of a new model given no option. */
  readonly defaults: C;
  /**
   * Validate and complete a config; throws FamilyConfigError naming the family's options.
   * 'new' (a training request) fills the new-model defaults; 'stored' (a model file) fills
   * only what older files may lack, so they rebuild exactly as they were trained.
   */
  resolve(raw: Record<string, unknown>, purpose: 'new' | 'stored'): C;
  /** Trainable parameters of the network this config builds (without building it). */
  paramCount(config: C): number;
  /** Short architecture text for listings, e.g. '128px d3 f16'. */
  arch(config: C): string;
  /**
   * The learning rate a new model of this config trains at when none is given (the source's
   * rate per network); absent: the image families' common default.
   */
  defaultLearningRate?(config: C): number;
  /** Input height and width must be multiples of this (the poolings). */
  sizeMultiple(config: C): number;
  /** The inference graph for ONNX export; absent: this family cannot be exported (the exporter says so). */
  onnxGraph?(weights: NamedWeights & { config: C }, name: string): GraphSpec;
  /** Worker only: the module that builds the network (loaded on first use). */
  network(): Promise<FamilyNetworkBuilder<C>>;
  /**
   * Worker only, clip families (inputKind 'clip'): the clip-training and streaming functions
   * the clip trainer and streaming segmentation call (../training/clip/clip-seam.ts).
   */
  clipTraining?(): Promise<ClipTraining<C>>;
}
