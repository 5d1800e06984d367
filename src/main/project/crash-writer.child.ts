// Child process for the read-only and backup tests: adds `count` images and dies without
// closing, so the commits stay in the -wal file as after a crash or while an app is open.
import { Project } from './project';

const [file, countArg] = process.argv.slice(2);
const p = Project.open(file);
p.db.pragma('wal_autocheckpoint = 0');
for (let k = 0; k < Number(countArg); k++) {
  p.images.insert({ hash: `${k}`.padStart(64, 'c'), name: `crash-${k}.png`, originalPath: `crash-${k}.png`, width: 2, height: 1, format: 'png', bytes: new Uint8Array([k]), thumbnail: null });
}
process.exit(0);
