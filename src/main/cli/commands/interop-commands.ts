import type { Command } from 'commander';
import { CliError, oneOf } from '../cli-error';
import { openForCli } from '../open-project';
import { ProgressBar } from '../progress-bar';
import type { InteropFormat } from '../../../shared/api';
import { SPLITS } from '../../../shared/domain';
import { EXPORT_FORMATS } from '../../interop/registry';
import { exportInterop } from '../../interop/export-annotations';
import { importAnnotationFile } from '../../interop/import-annotations';
import { applyTagsCsv } from '../../project/tags-csv';

// Files other tools read and write: `export` (COCO, GeoJSON for QuPath, label TIFF/PNG,
// gray3/rgb PNG), `import-annotations` (COCO or GeoJSON as ground truth), `tag` (tags CSV).

const FORMAT_IDS = EXPORT_FORMATS.map((f) => f.info.id);

export function registerInteropCommands(program: Command): void {
  program
    .command('export')
    .description(`write masks in a format other tools read: ${EXPORT_FORMATS.map((f) => `${f.info.id} (${f.info.description})`).join('; ')}`)
    .argument('<project>', 'project file')
    .argument('<out>', 'output: a .json file for coco, a folder for the others')
    .requiredOption('--format <name>', FORMAT_IDS.join(' | '), oneOf('format', FORMAT_IDS))
    .option('--source <name>', 'ground-truth | MODEL[@VERSION] | active-contour', 'ground-truth')
    .option('--images <which>', 'all | train | val | test | reviewed', oneOf('images', ['all', ...SPLITS, 'reviewed'] as const), 'all')
    .option('--force', 'overwrite an existing output', false)
    .option('--json', 'print the export report as JSON', false)
    .action(async (path: string, out: string, o: { format: InteropFormat; source: string; images: 'all' | 'reviewed' | (typeof SPLITS)[number]; force: boolean; json: boolean }) => {
      const p = openForCli(path, { readonly: true });
      const bar = new ProgressBar(`exporting ${o.format}`, o.json);
      try {
        const r = await exportInterop(p, { out, format: o.format, source: o.source, images: o.images, force: o.force }, { onProgress: (d, t) => bar.update(d, t) });
        bar.done();
        if (o.json) console.log(JSON.stringify(r, null, 2));
        else {
          console.log(`wrote ${o.format} of ${r.images} images (${r.cells} cells, source ${o.source}) to ${r.out}${r.format === 'coco' ? '' : ` (${r.files.length} files)`}`);
          if (r.missing) console.log(`  ${r.missing} selected images have no ${o.source} mask and were left out`);
        }
      } catch (err) {
        bar.done();
        throw new CliError((err as Error).message);
      } finally {
        p.close();
      }
    });

  program
    .command('import-annotations')
    .description('import COCO or GeoJSON (QuPath) annotations as ground truth, matched to project images by file name; each becomes a new ground-truth version')
    .argument('<project>', 'project file')
    .argument('<files...>', 'COCO .json or GeoJSON files (a GeoJSON file names its image in properties.metadata.image or by its own name)')
    .option('--json', 'print the reports as JSON', false)
    .action((path: string, files: string[], o: { json: boolean }) => {
      const p = openForCli(path);
      let failed = false;
      try {
        const reports = files.map((f) => {
          try {
            return importAnnotationFile(p, f);
          } catch (err) {
            throw new CliError((err as Error).message);
          }
        });
        if (o.json) console.log(JSON.stringify(reports.map((r) => ({ ...r, imageIds: undefined })), null, 2));
        for (const r of reports) {
          if (!o.json) {
            console.log(`${r.file}: ${r.format}, ${r.imported} images got a new ground-truth version, ${r.problems.length} problems`);
            for (const pr of r.problems) console.log(`  ${pr.item}: ${pr.reason}`);
          }
          if (r.imported === 0) failed = true;
        }
      } finally {
        p.close();
      }
      if (failed) throw new CliError(files.length === 1 ? `${files[0]}: no image was imported` : 'some files imported no image');
    });

  program
    .command('tag')
    .description("add image tags from a CSV: `file,tag` (several tags separated by ';') or wbc-dataset1's class-labels.csv (image ID, class label 1-5 = neutrophil, lymphocyte, monocyte, eosinophil, basophil)")
    .argument('<project>', 'project file')
    .argument('<csv>', 'CSV file')
    .option('--json', 'print the report as JSON', false)
    .action((path: string, csv: string, o: { json: boolean }) => {
      const p = openForCli(path);
      try {
        let r;
        try {
          r = applyTagsCsv(p, csv);
        } catch (err) {
          throw new CliError((err as Error).message);
        }
        if (o.json) console.log(JSON.stringify(r, null, 2));
        else {
          console.log(`tagged ${r.tagged} images from ${r.rows} rows of ${r.file}: ${Object.entries(r.tags).map(([t, n]) => `${t} ${n}`).join(', ') || 'no tags'}`);
          for (const u of r.unmatched.slice(0, 20)) console.log(`  row ${u.row} (${u.file || 'no file'}): ${u.reason}`);
          if (r.unmatched.length > 20) console.log(`  ... and ${r.unmatched.length - 20} more rows unused`);
        }
        if (r.tagged === 0) throw new CliError(`${csv}: no row matched an image of the project`);
      } finally {
        p.close();
      }
    });
}
