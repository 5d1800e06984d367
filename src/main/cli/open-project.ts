import { existsSync } from 'node:fs';
import { Project } from '../project/project';
import { ProjectError } from '../project/open-project';
import { CliError } from './cli-error';

/** Open an existing project for a command, turning file problems into one clear line. */
export function openForCli(path: string, opts: { create?: boolean } = {}): Project {
  if (!opts.create && !existsSync(path)) throw new CliError(`${path}: no such project file (create it with \`hemaseg init ${path}\`)`);
  try {
    return Project.open(path, opts);
  } catch (err) {
    if (err instanceof ProjectError) throw new CliError(err.message);
    throw err;
  }
}
