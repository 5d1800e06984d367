import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The built renderer: beside the bundled main (out/main -> out/renderer) or from the repo when run from sources. */
export function rendererDir(): string | null {
  const candidates = [
    process.env.HEMASEG_RENDERER_DIR,
    join(__dirname, '../renderer'),
    resolve(__dirname, '../../../out/renderer'),
    resolve(process.cwd(), 'out/renderer'),
  ].filter((p): p is string => !!p);
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? null;
}
