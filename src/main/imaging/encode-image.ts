import sharp from 'sharp';
import type { RgbImage } from '../../shared/domain';

export async function encodeRgbPng(img: RgbImage): Promise<Uint8Array> {
  const buf = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } }).png().toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export async function encodeGreyPng(width: number, height: number, grey: Uint8Array): Promise<Uint8Array> {
  const buf = await sharp(grey, { raw: { width, height, channels: 1 } }).png().toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** A small JPEG thumbnail for the gallery, longest side `size`. */
export async function encodeThumbnail(img: RgbImage, size: number): Promise<Uint8Array> {
  const buf = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .resize(size, size, { fit: 'inside' })
    .jpeg({ quality: 82 })
    .toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
