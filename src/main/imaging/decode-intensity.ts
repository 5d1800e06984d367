// Grey intensities at the depth a file holds them. decodeImage() gives 8-bit RGB, right for
// display, thumbnails and the smear networks; a 16-bit grey frame (the flow film, most
// microscopy stacks) loses detail there: the film's cell noise (sd 0.001) is a quarter of one
// 8-bit step. Networks that need it read frames through this instead.
import sharp, { type Metadata } from 'sharp';
import { decodeImage, ImageDecodeError, sniffFormat, type DecodeOptions } from './decode-image';
import { DEFAULT_MAX_MEGAPIXELS, megapixelsToPixels, sharpDeclaredSize } from './declared-size';

export interface IntensityImage {
  width: number;
  height: number;
  /** Intensity 0..1 per pixel (the mean of R, G, B for a colour image), row-major. */
  data: Float32Array;
  /** Bits per sample in the file (8 or 16). */
  bits: 8 | 16;
}

export async function decodeIntensity(bytes: Uint8Array, file: string, opts: DecodeOptions = {}): Promise<IntensityImage> {
  const format = sniffFormat(bytes);
  if (format === 'png' || format === 'tiff') {
    const maxPixels = opts.maxPixels ?? megapixelsToPixels(DEFAULT_MAX_MEGAPIXELS);
    let meta: Metadata;
    try {
      meta = await sharp(bytes).metadata();
    } catch (err) {
      throw new ImageDecodeError(file, `unreadable ${format.toUpperCase()} header (${(err as Error).message.split('\n')[0]})`);
    }
    if (meta.depth === 'ushort') {
      const declared = await sharpDeclaredSize(bytes);
      if (!declared || !(declared.width > 0 && declared.height > 0)) throw new ImageDecodeError(file, 'unreadable header (no dimensions)');
      if (declared.width * declared.height > maxPixels) return fromRgb8(await decodeImage(bytes, file, opts)); // reports the limit
      try {
        const { data, info } = await sharp(bytes, { failOn: 'error', limitInputPixels: Math.max(1, maxPixels) })
          .removeAlpha()
          .toColourspace('grey16')
          .raw({ depth: 'ushort' })
          .toBuffer({ resolveWithObject: true });
        const u16 = new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
        return { width: info.width, height: info.height, data: Float32Array.from(u16, (v) => v / 65535), bits: 16 };
      } catch (err) {
        throw new ImageDecodeError(file, `unreadable 16-bit ${format.toUpperCase()} (${(err as Error).message.split('\n')[0]})`);
      }
    }
  }
  return fromRgb8(await decodeImage(bytes, file, opts));
}

function fromRgb8(d: Awaited<ReturnType<typeof decodeImage>>): IntensityImage {
  const { width, height, data } = d.image;
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = (data[i * 3] + data[i * 3 + 1] + data[i * 3 + 2]) / (3 * 255);
  return { width, height, data: out, bits: 8 };
}
