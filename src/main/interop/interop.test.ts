import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Project } from '../project/project';
import { importSmears } from '../synth/write-synth';
import { tempDir } from '../testing/fixtures';
import { exportInterop } from './export-annotations';
import { importAnnotationFile } from './import-annotations';
import { signedArea } from './trace';
import { flattenEdges } from '../imaging/mask-convention';
import type { LabelMap } from '../../shared/domain';
import type { GeoJsonCollection } from './geojson';

/** Same partition of pixels into cells (ids may be numbered differently). */
function samePartition(a: Uint16Array, b: Uint16Array): boolean {
  const ab = new Map<number, number>(), ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((a[i] === 0) !== (b[i] === 0)) return false;
    if (!a[i]) continue;
    if ((ab.get(a[i]) ?? b[i]) !== b[i] || (ba.get(b[i]) ?? a[i]) !== a[i]) return false;
    ab.set(a[i], b[i]);
    ba.set(b[i], a[i]);
  }
  return true;
}

let dir: string;
let project: Project;
const open: Project[] = [];

beforeAll(async () => {
  dir = tempDir('hemaseg-interop-');
  project = Project.open(join(dir, 'p.hemaseg'), { create: true });
  // Classes with touching cells, half cells, smudges and platelets: holes and diagonals happen.
  await importSmears(project, { count: 16, size: 96, classes: [1, 2, 3, 4, 5, 6, 7, 8], palette: 'both', seed: 5 });
}, 60_000);

afterEach(() => {
  while (open.length) open.pop()!.close();
});

function currentTruth(p: Project): Map<string, { mask: LabelMap; id: number }> {
  const out = new Map<string, { mask: LabelMap; id: number }>();
  for (const img of p.images.list()) {
    const v = p.masks.current(img.id, 'ground-truth');
    if (v) out.set(img.name, { mask: p.masks.load(v.id)!, id: v.id });
  }
  return out;
}

describe('COCO export and import', () => {
  it('re-imports generated smears\' ground truth pixel for pixel (labels with edges, and cells)', async () => {
    const before = currentTruth(project);
    expect([...before.values()].some((t) => t.mask.labels.includes(3))).toBe(true); // synth truth has edges
    const out = join(dir, 'coco.json');
    const r = await exportInterop(project, { out, format: 'coco' });
    expect(r.images).toBe(16);
    const coco = JSON.parse(readFileSync(out, 'utf8')) as { images: { file_name: string; width: number }[]; categories: { name: string }[]; annotations: { segmentation: unknown }[] };
    expect(coco.categories.map((c) => c.name)).toEqual(['cell', 'cytoplasm', 'nucleus', 'edge']);
    expect(coco.images[0]).toMatchObject({ file_name: 'smear-0001.png', width: 96 });
    // Both encodings occur: polygons for plain regions, RLE for edges (rings with holes).
    expect(coco.annotations.some((a) => Array.isArray(a.segmentation))).toBe(true);
    expect(coco.annotations.some((a) => !Array.isArray(a.segmentation))).toBe(true);

    const rep = importAnnotationFile(project, out);
    expect(rep.problems).toEqual([]);
    expect(rep.imported).toBe(16);
    const after = currentTruth(project);
    let mismatched = 0;
    for (const [name, b] of before) {
      const a = after.get(name)!;
      expect(a.id).not.toBe(b.id); // a new version, appended
      if (!Buffer.from(a.mask.labels).equals(Buffer.from(b.mask.labels))) mismatched++;
      if (b.mask.instances) expect(samePartition(a.mask.instances ?? new Uint16Array(b.mask.instances.length), b.mask.instances)).toBe(true);
    }
    expect(mismatched).toBe(0);
    const v = project.masks.versions(project.images.list()[0].id).find((m) => m.isCurrent && m.kind === 'ground-truth')!;
    expect(v.note).toMatch(/imported from COCO file coco\.json/);
    expect(v.parentId).not.toBeNull();
  });

  it('reports unmatched images and bad annotations per item and leaves those images unchanged', () => {
    const img = project.images.list()[0];
    const before = project.masks.current(img.id, 'ground-truth')!.id;
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({
      images: [{ id: 1, file_name: 'nope.png', width: 96, height: 96 }, { id: 2, file_name: img.name, width: 96, height: 96 }],
      categories: [{ id: 1, name: 'nucleus' }, { id: 9, name: 'platelet' }],
      annotations: [
        { id: 1, image_id: 2, category_id: 1, segmentation: [[1, 1, 2]] },
        { id: 2, image_id: 2, category_id: 9, segmentation: [[1, 1, 5, 1, 5, 5]] },
        { id: 3, image_id: 7, category_id: 1, segmentation: [[1, 1, 5, 1, 5, 5]] },
      ],
    }));
    const r = importAnnotationFile(project, file);
    expect(r.imported).toBe(0);
    const reasons = r.problems.map((p) => `${p.item}: ${p.reason}`).join('\n');
    expect(reasons).toMatch(/nope\.png.*no project image is named nope\.png/);
    expect(reasons).toMatch(/annotation 1 of .*at least 3 x, y pairs/);
    expect(reasons).toMatch(/annotation 2: category 9 is not cell/);
    expect(reasons).toMatch(/annotation 3: image_id 7/);
    expect(project.masks.current(img.id, 'ground-truth')!.id).toBe(before);
  });

  it('refuses a file that is not JSON, naming it', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"images": [');
    expect(() => importAnnotationFile(project, file)).toThrow(/broken\.json: not valid JSON/);
  });

  it('refuses to overwrite an existing output without force, and writes nothing half', async () => {
    const out = join(dir, 'exists.json');
    writeFileSync(out, 'keep');
    await expect(exportInterop(project, { out, format: 'coco' })).rejects.toThrow(/already exists \(use --force/);
    expect(readFileSync(out, 'utf8')).toBe('keep');
    await exportInterop(project, { out, format: 'coco', force: true });
    expect(readFileSync(out, 'utf8')).toMatch(/^\{"info"/);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});

describe('GeoJSON for QuPath', () => {
  it('writes valid FeatureCollections: closed rings, counter-clockwise exteriors, clockwise holes, classes and measurements', async () => {
    const out = join(dir, 'geojson');
    const r = await exportInterop(project, { out, format: 'geojson' });
    expect(r.files).toHaveLength(16);
    let holes = 0;
    for (const f of r.files) {
      const fc = JSON.parse(readFileSync(f, 'utf8')) as GeoJsonCollection;
      expect(fc.type).toBe('FeatureCollection');
      for (const feat of fc.features) {
        expect(feat.type).toBe('Feature');
        expect(feat.properties.objectType).toBe('annotation');
        expect(['Cell', 'Cytoplasm', 'Nucleus']).toContain(feat.properties.classification.name);
        expect(feat.properties.classification.color).toHaveLength(3);
        expect(feat.properties.measurements['Area px^2']).toBeGreaterThan(0);
        const polys = feat.geometry.type === 'Polygon' ? [feat.geometry.coordinates] : feat.geometry.coordinates;
        expect(['Polygon', 'MultiPolygon']).toContain(feat.geometry.type);
        for (const rings of polys) {
          rings.forEach((ring, k) => {
            expect(ring.length).toBeGreaterThanOrEqual(4);
            expect(ring[0]).toEqual(ring[ring.length - 1]);
            const area = signedArea(ring.slice(0, -1));
            if (k === 0) expect(area).toBeGreaterThan(0);
            else {
              expect(area).toBeLessThan(0);
              holes++;
            }
          });
        }
      }
    }
    expect(holes).toBeGreaterThan(0); // cytoplasm around a nucleus is a ring
  });

  it('re-imports a GeoJSON file (image named in the features) with edges folded into their cell', async () => {
    const img = project.images.list()[3];
    const truth = project.masks.load(project.masks.current(img.id, 'ground-truth')!.id)!;
    const out = join(dir, 'one-geojson');
    await exportInterop(project, { out, format: 'geojson', ids: [img.id] });
    const file = join(out, readdirSync(out)[0]);
    const r = importAnnotationFile(project, file);
    expect(r).toMatchObject({ format: 'geojson', imported: 1, problems: [] });
    const back = project.masks.load(project.masks.current(img.id, 'ground-truth')!.id)!;
    expect(Buffer.from(back.labels).equals(Buffer.from(flattenEdges(truth)))).toBe(true);
  });
});

describe('label images', () => {
  it('writes uint8 label index TIFFs with the label values', async () => {
    const out = join(dir, 'labels');
    const r = await exportInterop(project, { out, format: 'label-tiff', images: 'all' });
    expect(r.files.every((f) => f.endsWith('.tif') && existsSync(f))).toBe(true);
    const img = project.images.list()[0];
    const truth = project.masks.load(project.masks.current(img.id, 'ground-truth')!.id)!;
    expect((await sharp(join(out, 'smear-0001.tif')).metadata()).channels).toBe(1);
    const data = await sharp(join(out, 'smear-0001.tif')).extractChannel(0).raw().toBuffer();
    expect(Buffer.from(data).equals(Buffer.from(truth.labels))).toBe(true);
  });

  it('says when no selected image has a mask of the source', async () => {
    await expect(exportInterop(project, { out: join(dir, 'none'), format: 'gray3', source: 'unet@1' })).rejects.toThrow(/none of the 16 selected images has a unet@1 mask/);
    expect(existsSync(join(dir, 'none'))).toBe(false);
  });
});
