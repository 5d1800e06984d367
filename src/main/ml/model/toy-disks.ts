// A toy segmentation task for the families' learning tests (no TensorFlow): bright disks
// (1-2 per image) on a noisy darker background, label 1 inside the disks.
import { createRng } from './random';

export function toyDisks(n: number, size: number, seed: number): { x: Float32Array; labels: Int32Array } {
  const rng = createRng(seed);
  const x = new Float32Array(n * size * size * 3);
  const labels = new Int32Array(n * size * size);
  for (let i = 0; i < n; i++) {
    const disks = Array.from({ length: 1 + Math.floor(rng() * 2) }, () => ({ cx: size * (0.2 + 0.6 * rng()), cy: size * (0.2 + 0.6 * rng()), r: size * (0.1 + 0.12 * rng()) }));
    for (let py = 0; py < size; py++) {
      for (let px = 0; px < size; px++) {
        const inside = disks.some((d) => (px - d.cx) ** 2 + (py - d.cy) ** 2 <= d.r * d.r);
        const p = (i * size + py) * size + px;
        labels[p] = inside ? 1 : 0;
        for (let c = 0; c < 3; c++) x[p * 3 + c] = Math.min(1, (inside ? 0.55 : 0.1) + 0.35 * rng());
      }
    }
  }
  return { x, labels };
}
