// The model families HemaSeg can build. Main-side safe: descriptions, validation and
// parameter counts are pure functions; a family's network code is loaded only in the ML
// worker (ModelFamily.network). A new family: a folder beside unet/ and one line below.
import { DEFAULT_FAMILY, type ModelConfig, type ModelFamilyInfo, type ModelSpec } from '../../../shared/ml';
import { FamilyConfigError, optionList, type BaseModelConfig } from './common-config';
import type { ModelFamily } from './family';
import { deconvnetFamily } from './deconvnet';
import { segnetFamily } from './segnet';
import { unetFamily } from './unet';
import { lstmCnnFamily } from './lstm-cnn';
import { uLstmFamily } from './u-lstm';

export const FAMILIES: readonly ModelFamily[] = [
  unetFamily,
  segnetFamily,
  deconvnetFamily,
  lstmCnnFamily,
  uLstmFamily,
];

export class UnknownFamilyError extends FamilyConfigError {}

export function familyIds(): string[] {
  return FAMILIES.map((f) => f.id);
}

/** The family `id`; throws naming the registered families. */
export function familyOf(id: string): ModelFamily {
  const f = FAMILIES.find((x) => x.id === id);
  if (!f) throw new UnknownFamilyError(`unknown model family '${id}' (families: ${familyIds().join(', ')})`);
  return f;
}

export function findFamily(id: string): ModelFamily | null {
  return FAMILIES.find((x) => x.id === id) ?? null;
}

/**
 * A training request's spec as a full config: the family's defaults, under its variant's
 * preset, under the fields given. Throws FamilyConfigError (unknown family, variant or
 * option, a config that cannot build) with the family's valid options in the message.
 */
export function resolveModelSpec(spec: ModelSpec | null): { family: ModelFamily; config: BaseModelConfig & Record<string, unknown> } {
  const family = familyOf(spec?.family ?? DEFAULT_FAMILY);
  let preset: Record<string, unknown> = {};
  if (spec?.variant !== undefined && spec.variant !== family.id) {
    // A variant may be named without its family prefix (`--family lstm-cnn --variant en-t-d2`).
    const v = family.variants.find((x) => x.name === spec.variant || x.name === `${family.id}-${spec.variant}`);
    if (!v) throw new FamilyConfigError(`the ${family.id} family has no variant '${spec.variant}' (variants: ${family.variants.map((x) => x.name).join(', ')})`);
    preset = v.config as Record<string, unknown>;
  }
  const config = family.resolve({ ...preset, ...(spec?.config ?? {}) }, 'new') as BaseModelConfig & Record<string, unknown>;
  return { family, config };
}

/** The contract's description of a family (train form, `hemaseg families`). */
export function familyInfo(f: ModelFamily): ModelFamilyInfo {
  return {
    id: f.id,
    label: f.label,
    summary: f.summary,
    inputKind: f.inputKind,
    tasks: [...f.tasks],
    options: f.options.map((o) => ({ ...o })),
    defaults: f.defaults as unknown as ModelConfig,
    paramCount: f.paramCount(f.defaults),
    variants: f.variants.map((v) => {
      const config = f.resolve({ ...(v.config as Record<string, unknown>) }, 'new');
      return { name: v.name, label: v.label, config: config as unknown as ModelConfig, paramCount: f.paramCount(config) };
    }),
    onnx: typeof f.onnxGraph === 'function',
  };
}

export function familyInfos(): ModelFamilyInfo[] {
  return FAMILIES.map(familyInfo);
}

export { optionList };
