import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { openForCli } from '../open-project';
import { backupProject } from '../../project/backup-project';
import { ProjectError } from '../../project/open-project';

export function registerBackupCommand(program: Command): void {
  program
    .command('backup')
    .description('copy a project safely, even while it is open or after a crash (SQLite online backup, WAL included); never overwrites')
    .argument('<project>', 'project file')
    .argument('<out>', 'new file for the copy')
    .action(async (path: string, out: string) => {
      const p = openForCli(path, { readonly: true });
      try {
        const r = await backupProject(p, out);
        console.log(`wrote ${r.path}: ${r.images} images, ${(r.bytes / 1e6).toFixed(1)} MB`);
      } catch (err) {
        throw new CliError(err instanceof ProjectError ? err.message : (err as Error).message);
      } finally {
        p.close();
      }
    });
}
