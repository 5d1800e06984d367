import sharp from 'sharp';
import { decode as decodeBmp } from 'bmp-ts';
import type { ImageFormat, RgbImage } from '../../shared/domain';
import { bmpDeclaredSize, DEFAULT_MAX_MEGAPIXELS, describeSize, megapixelsToPixels, sharpDeclaredSize, type DeclaredSize } from './declared-size';

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

/** The header declares more pixels than the decoding limit allows; nothing was decoded. */
export class ImageTooLargeError extends ImageDecodeError {
  constructor(file: string, readonly declared: DeclaredSize, readonly maxPixels: number) {
    super(file, `declares ${describeSize(declared)}, over the ${maxPixels / 1_000_000}-megapixel decoding limit (raise it with --max-megapixels or the project setting)`);
    this.name = 'ImageTooLargeError';
  }
}

export interface DecodeOptions {
  /** Refuse images declaring more pixels than this (checked on the header, before decoding). */
  maxPixels?: number;
}

function checkDeclared(file: string, s: DeclaredSize, maxPixels: number): void {
  if (!(s.width > 0 && s.height > 0)) throw new ImageDecodeError(file, `invalid dimensions ${s.width}x${s.height} in the header`);
  if (s.width * s.height > maxPixels) throw new ImageTooLargeError(file, s, maxPixels);
}

/** Identify the format from magic bytes, not the file name: files get renamed. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 4 && ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2a && bytes[3] === 0) || (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && bytes[3] === 0x2a))) return 'tiff';
  if (bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d) return 'bmp';
  return null;
}

function decodeBmpBytes(bytes: Uint8Array, file: string, maxPixels: number): RgbImage {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = bmpDeclaredSize(bytes);
  if (buf.length < 54 || !header) throw new ImageDecodeError(file, 'truncated BMP (header incomplete)');
  const { width, height, bitsPerPixel, compression, dataOffset: declaredOffset } = header;
  if (width <= 0 || height <= 0 || width > 65535 || height > 65535) throw new ImageDecodeError(file, `invalid BMP dimensions ${width}x${buf.readInt32LE(22)}`);
  // bmp-ts allocates the whole canvas before reading a pixel, even for a 1 KB RLE file.
  checkDeclared(file, header, maxPixels);
  if (![1, 4, 8, 16, 24, 32].includes(bitsPerPixel)) throw new ImageDecodeError(file, `unsupported BMP bit depth ${bitsPerPixel}`);
  if (declaredOffset < 26 || declaredOffset > buf.length) throw new ImageDecodeError(file, `truncated BMP (pixel data offset ${declaredOffset} is outside the ${buf.length}-byte file)`);
  // bmp-ts reads past the end of a truncated file silently in some paths; check the size first.
  if (compression === 0 || compression === 3) {
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
  if (decoded.width !== width || decoded.height !== height || decoded.data.length < n * 4) {
    throw new ImageDecodeError(file, `unreadable BMP (decoded ${decoded.width}x${decoded.height}, header says ${width}x${height})`);
  }
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

/**
 * Decode PNG, JPEG, TIFF (sharp) or BMP (bmp-ts) to 8-bit RGB. The declared size is checked
 * against `maxPixels` (default 50 megapixels) before any pixel is decoded, and a truncated
 * or damaged file is an error rather than an image padded with black.
 */
export async function decodeImage(bytes: Uint8Array, file: string, opts: DecodeOptions = {}): Promise<DecodedImage> {
  const maxPixels = opts.maxPixels ?? megapixelsToPixels(DEFAULT_MAX_MEGAPIXELS);
  const format = sniffFormat(bytes);
  if (!format) throw new ImageDecodeError(file, 'unsupported or unrecognised file format (expected PNG, JPEG, TIFF or BMP)');
  let image: RgbImage;
  if (format === 'bmp') {
    image = decodeBmpBytes(bytes, file, maxPixels);
  } else {
    let declared: DeclaredSize | null;
    try {
      declared = await sharpDeclaredSize(bytes);
    } catch (err) {
      throw new ImageDecodeError(file, `unreadable ${format.toUpperCase()} header (${(err as Error).message.split('\n')[0]})`);
    }
    if (!declared) throw new ImageDecodeError(file, `unreadable ${format.toUpperCase()} header (no dimensions)`);
    checkDeclared(file, declared, maxPixels);
    try {
      // failOn 'error' rather than 'truncated': libtiff reports a short strip as an error
      // only, and 'truncated' lets such a TIFF through as a black image.
      const { data, info } = await sharp(bytes, { failOn: 'error', limitInputPixels: Math.max(1, maxPixels) })
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
      // libvips may lose an error's text when several files decode at once ('Unknown error').
      const msg = (err as Error).message.split('\n')[0].replace(/^Unknown error$/i, 'the decoder stopped with an error');
      throw new ImageDecodeError(file, `unreadable ${format.toUpperCase()} (${/truncat|premature|end of|read error|got \d+ bytes, expected|decoder stopped/i.test(msg) ? `truncated or damaged file: ${msg}` : msg})`);
    }
  }
  return { format, image, grey: isGrey(image) };
}

function isGrey(img: RgbImage): boolean {
  const d = img.data;
  for (let i = 0; i < d.length; i += 3) if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) return false;
  return true;
}
