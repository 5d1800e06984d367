// Child process for import tests that need another user (unreadable files cannot be made
// unreadable for root): imports a folder and prints the import report as JSON.
import { Project } from '../project/project';
import { importFolder } from '../transfer/import-folder';

async function run(): Promise<void> {
  const [file, dir, recursive] = process.argv.slice(2);
  const p = Project.open(file, { create: true });
  const report = await importFolder(p, dir, { maskConvention: 'auto', recursive: recursive === 'recursive' });
  p.close();
  process.stdout.write(JSON.stringify(report));
}
void run();
