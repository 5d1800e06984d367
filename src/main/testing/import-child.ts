// Child process for the crash-safety test: imports a folder slowly enough to be killed midway.
import { Project } from '../project/project';
import { importFolder } from '../transfer/import-folder';

async function run(): Promise<void> {
  const [file, dir] = process.argv.slice(2);
  const p = Project.open(file);
  await importFolder(p, dir, { maskConvention: 'gray3' });
  p.close();
}
void run();
