import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The API process script: out/main/api.js beside the built shell (this code may sit in a
 * shared chunk one folder below), else entry.ts from sources through tsx (tests).
 */
export function resolveApiScript(): { entry: string; execArgv: string[] } {
  const dir = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(dir, 'api.js'), join(dir, '..', 'api.js')]) {
    if (existsSync(candidate)) return { entry: candidate, execArgv: [] };
  }
  const source = join(dir, 'entry.ts');
  if (existsSync(source)) return { entry: source, execArgv: ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] };
  throw new Error(`HemaSeg API process script not found (looked for api.js near ${dir}); run \`npm run build\``);
}
