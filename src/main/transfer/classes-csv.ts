import { existsSync, readFileSync } from 'node:fs';
import type { DifficultyClass } from '../../shared/domain';

/**
 * A `classes.csv` beside the images (file,difficulty[,...]) sets difficulty classes on
 * import; `hemaseg synth smear` writes one. Simple comma-separated, header required.
 */
export function readClassesCsv(path: string): Map<string, DifficultyClass> {
  const out = new Map<string, DifficultyClass>();
  if (!existsSync(path)) return out;
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim());
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim().toLowerCase());
  const fi = header.indexOf('file');
  const di = header.indexOf('difficulty');
  if (fi < 0 || di < 0) return out;
  for (const line of lines) {
    const cols = line.split(',');
    const d = Number(cols[di]);
    if (Number.isInteger(d) && d >= 1 && d <= 8) out.set(cols[fi].trim(), d as DifficultyClass);
  }
  return out;
}
