// Optional colour normalisation stored with a model (UnetConfig.stainNorm) and applied to
// every image before the network, in training and at inference. 'od-scale': white balance
// on the background (each channel's 98th percentile becomes white), then each channel's
// optical density scaled so its 99th percentile reaches a fixed target. Two labs' stains
// then differ less in strength and tint, at the price of some colour information.
import type { RgbImage } from '../../../shared/domain';
import type { StainNorm } from '../families/common-config';

/** OD percentile targets per channel (R, G, B), between a yellow-ish and a purple smear. */
const OD_TARGET = [1.1, 1.3, 0.8];

function percentile(hist: Uint32Array, total: number, q: number): number {
  const want = q * total;
  let acc = 0;
  for (let v = 0; v < hist.length; v++) {
    acc += hist[v];
    if (acc >= want) return v;
  }
  return hist.length - 1;
}

export function normaliseStain(img: RgbImage, mode: StainNorm): RgbImage {
  if (mode === 'none') return img;
  const n = img.width * img.height;
  const out = new Uint8Array(img.data.length);
  for (let c = 0; c < 3; c++) {
    const hist = new Uint32Array(256);
    for (let i = 0; i < n; i++) hist[img.data[i * 3 + c]]++;
    const white = Math.max(1, percentile(hist, n, 0.98)) + 1;
    const odHist = new Uint32Array(1024);
    const od = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const d = Math.max(0, -Math.log((img.data[i * 3 + c] + 1) / white));
      od[i] = d;
      odHist[Math.min(1023, Math.floor(d * 100))]++;
    }
    const p99 = Math.max(0.05, percentile(odHist, n, 0.99) / 100);
    const k = OD_TARGET[c] / p99;
    for (let i = 0; i < n; i++) out[i * 3 + c] = Math.max(0, Math.min(255, Math.round(255 * Math.exp(-od[i] * k))));
  }
  return { width: img.width, height: img.height, data: out };
}
