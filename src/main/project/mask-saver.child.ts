// Child process for the concurrent-writers test: saves `count` hand-edited ground-truth
// versions, each a read (current version) then a write (new version + pointer) in one
// transaction, as the editor's save does.
import { Project } from './project';

const [file, countArg] = process.argv.slice(2);
const p = Project.open(file);
const ids = p.images.ids();
let saved = 0;
for (let k = 0; k < Number(countArg); k++) {
  const imageId = ids[k % ids.length];
  p.transaction(() => {
    const cur = p.masks.current(imageId, 'ground-truth');
    if (!cur) throw new Error(`image ${imageId} has no ground truth`);
    const m = p.masks.load(cur.id)!;
    // Some work between the read and the write, as a real save has (encode, checks): the
    // window in which another process commits.
    const until = Date.now() + 3;
    while (Date.now() < until);
    const labels = new Uint8Array(m.labels);
    labels[k % labels.length] = labels[k % labels.length] === 2 ? 1 : 2;
    p.masks.append({ imageId, kind: 'ground-truth', source: 'hand-edited', author: 'test', parentId: cur.id, mask: { width: m.width, height: m.height, labels } });
  });
  saved++;
}
p.close();
console.log(`saved ${saved}`);
