import sharp from 'sharp';
import { loadRealDataset } from './load-real';
async function main(): Promise<void> {
const s = await loadRealDataset('/work/shared/data/wbc-dataset1');
const sizes = new Map<string, number>();
for (const x of s) { const k = `${x.image.width}x${x.image.height} ${x.truth.width}x${x.truth.height}`; sizes.set(k, (sizes.get(k) ?? 0) + 1); }
console.log(sizes);
// montage of first 24 images with masks
const W = 120, cols = 8, rows = 6;
const buf = new Uint8Array(cols * W * rows * W * 3);
for (let k = 0; k < 24; k++) {
  const x = s[k * 12]; const cx = (k % 8) * W, cy = Math.floor(k / 8) * 2 * W;
  for (let y = 0; y < Math.min(W, x.image.height); y++) for (let xx = 0; xx < Math.min(W, x.image.width); xx++) {
    const si = (y * x.image.width + xx); const di = ((cy + y) * cols * W + cx + xx) * 3;
    for (let c = 0; c < 3; c++) buf[di + c] = x.image.data[si * 3 + c];
    const l = x.truth.labels[si]; const di2 = ((cy + W + y) * cols * W + cx + xx) * 3;
    for (let c = 0; c < 3; c++) buf[di2 + c] = l * 120;
  }
}
await sharp(buf, { raw: { width: cols * W, height: rows * W, channels: 3 } }).resize(cols*W*1.5|0).png().toFile('/tmp/ac-look/montage.png');
}
void main();
