import { describe, expect, it } from 'vitest';
import { detectConvention, maskFromImage, maskToImage, MaskFormatError } from './mask-convention';
import type { RgbImage } from '../../shared/domain';

const grey = (values: number[], w = values.length): RgbImage => {
  const data = new Uint8Array(values.length * 3);
  values.forEach((v, i) => data.set([v, v, v], i * 3));
  return { width: w, height: values.length / w, data };
};

describe('mask conventions', () => {
  it('recognises label-index masks (0/1/2 and 0/1/2/3 with edge) in auto detection', () => {
    expect(detectConvention(grey([0, 1, 2, 2, 1, 0]))).toBe('index');
    expect(detectConvention(grey([0, 1, 2, 3, 1, 0]))).toBe('index');
    expect(detectConvention(grey([0, 128, 255, 0]))).toBe('gray3');
    expect(detectConvention(grey([0, 255, 0, 255]))).toBe('binary');
    expect(detectConvention(grey([0, 10, 50, 90, 200]))).toBeNull();
  });

  it('reads an index mask as its labels, edge included, and writes it back unchanged', () => {
    const img = grey([0, 1, 2, 3, 2, 1, 0, 0], 4);
    const m = maskFromImage(img, 'index');
    expect(Array.from(m.labels)).toEqual([0, 1, 2, 3, 2, 1, 0, 0]);
    expect(Array.from(maskToImage(m, 'index').data)).toEqual(Array.from(img.data));
  });

  it('refuses 0/1/2 values read as gray3, binary or rgb instead of storing them as all background', () => {
    const img = grey([0, 1, 2, 2, 1, 0]);
    for (const conv of ['gray3', 'binary', 'rgb'] as const) {
      expect(() => maskFromImage(img, conv), conv).toThrow(MaskFormatError);
      expect(() => maskFromImage(img, conv), conv).toThrow(/0\/1\/2, a label-index mask, not .*--mask-convention index/);
    }
  });

  it('refuses a photo read as an rgb mask', () => {
    const photo: RgbImage = { width: 4, height: 1, data: Uint8Array.from([235, 225, 170, 230, 220, 168, 90, 50, 140, 200, 170, 215]) };
    expect(detectConvention(photo)).toBe('rgb');
    expect(() => maskFromImage(photo, 'rgb')).toThrow(/do not follow the rgb convention/);
    const mask: RgbImage = { width: 3, height: 1, data: Uint8Array.from([0, 0, 255, 0, 255, 0, 255, 0, 0]) };
    expect(Array.from(maskFromImage(mask, 'rgb').labels)).toEqual([0, 1, 2]);
  });

  it('refuses a gray3 or binary mask read as index, and marked pixels that would all vanish', () => {
    expect(() => maskFromImage(grey([0, 128, 255, 0]), 'index')).toThrow(/do not follow the index convention/);
    expect(() => maskFromImage(grey([0, 30, 30, 0]), 'gray3')).toThrow(/non-zero pixels would all be read as background/);
    // 0/1 is a fine binary mask, but as gray3 it would be empty.
    expect(Array.from(maskFromImage(grey([0, 1, 1, 0]), 'binary').labels)).toEqual([0, 1, 1, 0]);
    expect(() => maskFromImage(grey([0, 1, 1, 0]), 'gray3')).toThrow(/label-index mask/);
  });
});
