import sharp from 'sharp';
import { decode as decodeBmp } from 'bmp-ts';
import type { ImageFormat, RgbImage } from '../../shared/domain';

/** A file we could not read, with a reason a technician can act on. */
export class ImageDecodeError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'ImageDecodeError';
  }
}

/** Identify the format from magic bytes, not the file name: files get renamed. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 4 && ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2a && bytes[3] === 0) || (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && bytes[3] === 0x2a))) return 'tiff';
  if (bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d) return 'bmp';
  return null;
}

function decodeBmpBytes(bytes: Uint8Array, file: string): RgbImage {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 54) throw new ImageDecodeError(file, 'truncated BMP (header incomplete)');
  const declaredOffset = buf.readUInt32LE(10);
  const width = buf.readInt32LE(18);
  const rawHeight = buf.readInt32LE(22);
  const bitsPerPixel = buf.readUInt16LE(28);
  const compression = buf.readUInt32LE(30);
  const height = Math.abs(rawHeight);
  if (width <= 0 || height <= 0 || width > 65535 || height > 65535) throw new ImageDecodeError(file, `invalid BMP dimensions ${width}x${rawHeight}`);
  // bmp-ts reads past the end of a truncated file silently in some paths; check the size first.
  if (compression === 0) {
    const rowBytes = Math.ceil((width * bitsPerPixel) / 32) * 4;
    const needed = declaredOffset + rowBytes * height;
    if (buf.length < needed) throw new ImageDecodeError(file, `truncated BMP (${buf.length} bytes, pixel data needs ${needed})`);
  }
  let decoded: { width: number; height: number; data: Buffer };
  try {
    decoded = decodeBmp(buf, { toRGBA: true }) as unknown as { width: number; height: number; data: Buffer };
  } catch (err) {
    throw new ImageDecodeError(file, `unreadable BMP (${(err as Error).message})`);
  }
  const n = decoded.width * decoded.height;
  const data = new Uint8Array(n * 3);
  // toRGBA yields R,G,B,A per pixel.
  for (let i = 0; i < n; i++) {
    data[i * 3] = decoded.data[i * 4];
    data[i * 3 + 1] = decoded.data[i * 4 + 1];
    data[i * 3 + 2] = decoded.data[i * 4 + 2];
  }
  return { width: decoded.width, height: decoded.height, data };
}

export interface DecodedImage {
  format: ImageFormat;
  image: RgbImage;
  /** True when the source had exactly equal channels (a grey image). */
  grey: boolean;
}

/** Decode PNG, JPEG, TIFF (sharp) or BMP (bmp-ts) to 8-bit RGB. */
export async function decodeImage(bytes: Uint8Array, file: string): Promise<DecodedImage> {
  const format = sniffFormat(bytes);
  if (!format) throw new ImageDecodeError(file, 'unsupported or unrecognised file format (expected PNG, JPEG, TIFF or BMP)');
  let image: RgbImage;
  if (format === 'bmp') {
    image = decodeBmpBytes(bytes, file);
  } else {
    try {
      const { data, info } = await sharp(bytes, { failOn: 'truncated' })
        .removeAlpha()
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
      let rgb: Uint8Array = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (info.channels === 1) {
        rgb = new Uint8Array(info.width * info.height * 3);
        for (let i = 0; i < info.width * info.height; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = data[i];
      } else if (info.channels !== 3) {
        throw new Error(`unexpected channel count ${info.channels}`);
      }
      image = { width: info.width, height: info.height, data: rgb };
    } catch (err) {
      if (err instanceof ImageDecodeError) throw err;
      const msg = (err as Error).message.split('\n')[0];
      throw new ImageDecodeError(file, `unreadable ${format.toUpperCase()} (${/truncat|premature|end of/i.test(msg) ? 'truncated file' : msg})`);
    }
  }
  return { format, image, grey: isGrey(image) };
}

function isGrey(img: RgbImage): boolean {
  const d = img.data;
  for (let i = 0; i < d.length; i += 3) if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) return false;
  return true;
}
