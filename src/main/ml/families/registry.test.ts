// The family registry without TensorFlow: specs are validated by their family with the
// family's options in every message, descriptions are complete, model files of both
// formats parse.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FamilyConfigError } from './common-config';
import { LEGACY_UNET_FORMAT, MODEL_FORMAT, ModelFileError, inspectModelFiles, parseModelFile } from './model-file';
import { FAMILIES, familyInfos, familyOf, resolveModelSpec } from './registry';

const FIXTURE_EXPORT = join(__dirname, '../../project/fixtures/pre-family-export');

describe('model family registry', () => {
  it('describes every family: options, tasks, input kind, variants and parameter counts', () => {
    const infos = familyInfos();
    expect(infos.map((f) => f.id)).toEqual(FAMILIES.map((f) => f.id));
    const unet = infos.find((f) => f.id === 'unet')!;
    expect(unet.inputKind).toBe('image');
    expect(unet.tasks).toEqual(['binary', 'multiclass', 'multiclass-edge']);
    expect(unet.options.map((o) => o.flag)).toEqual(['task', 'size', 'input-mode', 'cell-diameter', 'stain-norm', 'depth', 'base-filters', 'dropout', 'init', 'bias-init']);
    expect(unet.defaults).toMatchObject({ task: 'multiclass-edge', inputSize: 128, depth: 3, baseFilters: 16, inputMode: 'fit' });
    // 536,643 at multiclass (README); multiclass-edge has one more output channel: +17.
    expect(unet.paramCount).toBe(536_643 + 17);
    expect(unet.onnx).toBe(true);
    expect(unet.variants.map((v) => v.name)).toContain('unet-small');
    const small = unet.variants.find((v) => v.name === 'unet-small')!;
    expect(small.config).toMatchObject({ depth: 2, baseFilters: 8 });
    expect(small.paramCount).toBeLessThan(unet.paramCount);
    for (const f of infos) for (const o of f.options) expect(o.help.length, `${f.id} --${o.flag}`).toBeGreaterThan(0);
  });

  it('resolves a spec: family defaults, variant preset, given options', () => {
    expect(resolveModelSpec(null).config).toMatchObject({ task: 'multiclass-edge', inputSize: 128, depth: 3, inputMode: 'fit' });
    expect(resolveModelSpec({ family: 'unet', config: { depth: 2, inputSize: 64 } }).config).toMatchObject({ depth: 2, inputSize: 64, baseFilters: 16 });
    expect(resolveModelSpec({ family: 'unet', variant: 'unet-small', config: { task: 'binary' } }).config).toMatchObject({ depth: 2, baseFilters: 8, task: 'binary' });
  });

  it('refuses bad specs before anything is built, naming the valid options', () => {
    expect(() => resolveModelSpec({ family: 'segnot', config: {} })).toThrow(/unknown model family 'segnot' \(families: unet/);
    expect(() => resolveModelSpec({ family: 'unet', config: { kernel: 7 } })).toThrow(/no option 'kernel'; its options: --task .*--depth 1\.\.6.*--base-filters/);
    expect(() => resolveModelSpec({ family: 'unet', config: { inputSize: 100, depth: 3 } })).toThrow(/input size 100 must be divisible by 2\^depth = 8.*unet options: --task/);
    expect(() => resolveModelSpec({ family: 'unet', config: { depth: 9 } })).toThrow(/depth \(--depth\) must be in \[1, 6\]/);
    expect(() => resolveModelSpec({ family: 'unet', config: { task: 'edges' } })).toThrow(/must be one of binary, multiclass, multiclass-edge/);
    expect(() => resolveModelSpec({ family: 'unet', variant: 'huge', config: {} })).toThrow(/no variant 'huge'/);
    expect(() => resolveModelSpec({ family: 'unet', config: { kernel: 7 } })).toThrow(FamilyConfigError);
    expect(() => familyOf('nope')).toThrow(FamilyConfigError);
  });

  it('reads model files of today and of before families; refuses unknown ones', () => {
    const legacy = readFileSync(join(FIXTURE_EXPORT, 'model.json'), 'utf8');
    const bytes = readFileSync(join(FIXTURE_EXPORT, 'weights.bin')).byteLength;
    const header = parseModelFile(legacy);
    expect(header.format).toBe(LEGACY_UNET_FORMAT);
    expect(header.family).toBe('unet');
    expect(header.config).toMatchObject({ task: 'multiclass-edge', inputSize: 32, depth: 2, baseFilters: 4, inputMode: 'fit' });
    expect(inspectModelFiles(legacy, bytes).family).toBe('unet');
    const modern = JSON.stringify({ ...JSON.parse(legacy), format: MODEL_FORMAT, formatVersion: 2, family: 'unet' });
    expect(inspectModelFiles(modern, bytes).config).toEqual(header.config);
    expect(() => parseModelFile(JSON.stringify({ ...JSON.parse(modern), family: 'lstm-x' }))).toThrow(/unknown model family 'lstm-x'/);
    expect(() => parseModelFile(JSON.stringify({ ...JSON.parse(modern), formatVersion: 3 }))).toThrow(/reads up to 2/);
    expect(() => parseModelFile(JSON.stringify({ ...JSON.parse(legacy), formatVersion: 2 }))).toThrow(ModelFileError);
    expect(() => inspectModelFiles(legacy, bytes - 4)).toThrow(/do not belong together/);
  });
});
