import { describe, expect, it } from 'vitest';
import { decodeImage, ImageDecodeError, ImageTooLargeError } from './decode-image';
import { bmpDeclaredSize } from './declared-size';
import { bombs, encodeSeed, jpegWithSize, pngWithSize, rle8Bmp, tiffIfdFirst, pictureRgb } from '../transfer/fuzz/make-files';

describe('decoding limits', () => {
  it('refuses a declared-size bomb in every format on its header, naming the file and its size', async () => {
    const before = process.memoryUsage().rss;
    for (const [name, bytes] of Object.entries(await bombs(16000))) {
      const err = await decodeImage(bytes, `dir/${name}`).then(() => null, (e: unknown) => e);
      expect(err, name).toBeInstanceOf(ImageTooLargeError);
      expect((err as Error).message).toMatch(new RegExp(`^dir/${name.replace('.', '\\.')}: declares 16000x16000 \\(256 megapixels\\), over the 50-megapixel`));
    }
    // Refused on the header: nothing near 16000x16000 (768 MB of RGB) was allocated or decoded.
    expect(process.memoryUsage().rss - before).toBeLessThan(150e6);
  });

  it('reads the BMP header itself (bmp-ts would allocate the canvas first), RLE and core headers included', () => {
    const rle = rle8Bmp(16000, -16000, Uint8Array.from([0, 1]));
    expect(bmpDeclaredSize(rle)).toMatchObject({ width: 16000, height: 16000, compression: 1, bitsPerPixel: 8 });
    const core = Buffer.alloc(26);
    core.write('BM', 0, 'latin1');
    core.writeUInt32LE(12, 14);
    core.writeUInt16LE(30000, 18);
    core.writeUInt16LE(30000, 20);
    expect(bmpDeclaredSize(core)).toMatchObject({ width: 30000, height: 30000 });
    expect(bmpDeclaredSize(Buffer.from('BM'))).toBeNull();
  });

  it('applies a configurable limit to every format', async () => {
    for (const fmt of ['bmp', 'bmp-rle', 'png', 'jpeg', 'tiff'] as const) {
      const bytes = await encodeSeed(fmt, 100, 60, 2);
      await expect(decodeImage(bytes, `x.${fmt}`, { maxPixels: 5999 }), fmt).rejects.toThrow(/declares 100x60 \(0\.0 megapixels\)/);
      const ok = await decodeImage(bytes, `x.${fmt}`, { maxPixels: 6000 });
      expect([ok.image.width, ok.image.height], fmt).toEqual([100, 60]);
    }
  });

  it('detects truncated files instead of padding them with black, including a TIFF with its header first', async () => {
    const tiff = tiffIfdFirst(64, 64, pictureRgb(64, 64, 5));
    // The header survives the cut: the old decoder (failOn 'truncated') returned a black image.
    const cut = tiff.subarray(0, Math.floor(tiff.length * 0.5));
    await expect(decodeImage(cut, 'cut.tif')).rejects.toThrow(/cut\.tif: unreadable TIFF \(truncated or damaged file/);
    for (const fmt of ['bmp', 'bmp-rle', 'png', 'jpeg'] as const) {
      const b = await encodeSeed(fmt, 64, 64, 3);
      const err = await decodeImage(b.subarray(0, Math.floor(b.length * 0.6)), `cut.${fmt}`).then(() => null, (e: unknown) => e);
      expect(err, fmt).toBeInstanceOf(ImageDecodeError);
    }
  });

  it('edited headers with impossible sizes are refused with a reason', async () => {
    const png = await encodeSeed('png', 8, 8, 1);
    await expect(decodeImage(pngWithSize(png, 0, 8), 'zero.png')).rejects.toThrow(/zero\.png: /);
    const jpeg = await encodeSeed('jpeg', 8, 8, 1);
    await expect(decodeImage(jpegWithSize(jpeg, 9000, 9000), 'big.jpg')).rejects.toThrow(/declares 9000x9000 \(81 megapixels\)/);
  });
});
