import { existsSync } from 'node:fs';
import { Project } from '../project/project';
import { ProjectError, type OpenOptions } from '../project/open-project';
import { CliError } from './cli-error';

/**
 * Open an existing project for a command, turning file problems into one clear line.
 * Commands that only read pass `readonly: true`: nothing is created or upgraded, and a
 * read-only file or folder can be inspected.
 */
export function openForCli(path: string, opts: OpenOptions = {}): Project {
  if (!opts.create && !existsSync(path)) throw new CliError(`${path}: no such project file (create it with \`hemaseg init ${path}\`)`);
  try {
    return Project.open(path, opts);
  } catch (err) {
    if (err instanceof ProjectError) throw new CliError(err.message);
    throw err;
  }
}
