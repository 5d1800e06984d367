// Where the tfjs wasm binaries live on disk, resolved the same way from the TS sources
// (vitest, tsx) and from the bundled out/main/*.js: through Node's module resolution of the
// package itself, never relative to the calling file, so bundling does not move the target.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const WASM_FILES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
] as const;

/**
 * Directory (with trailing separator) holding tfjs-backend-wasm's *.wasm files.
 * `HEMASEG_WASM_DIR` overrides it (packaged apps that unpack the binaries elsewhere).
 */
export function wasmBinaryDir(): string {
  const override = process.env.HEMASEG_WASM_DIR;
  if (override) return override.endsWith('/') || override.endsWith('\\') ? override : override + '/';
  const req = createRequire(import.meta.url);
  const pkgJson = req.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  const dir = join(dirname(pkgJson), 'dist');
  // Electron packs node_modules into app.asar; binaries must be read from the unpacked copy.
  const unpacked = dir.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
  const chosen = unpacked !== dir && existsSync(join(unpacked, WASM_FILES[1])) ? unpacked : dir;
  return chosen + '/';
}

/** True when every wasm binary is present in `dir`. */
export function wasmBinariesPresent(dir: string): boolean {
  return WASM_FILES.every((f) => existsSync(join(dir, f)));
}
