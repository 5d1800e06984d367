import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError, oneOf, parseFloatOption } from '../cli-error';
import { openForCli } from '../open-project';
import { ProgressBar } from '../progress-bar';
import { importFolder, type ImportOptions } from '../../transfer/import-folder';
import { importSequenceFolder } from '../../transfer/import-sequence';
import { exportMasks, ExportRefusedError } from '../../transfer/export-masks';
import { MASK_CONVENTIONS, MASK_KINDS, type MaskConvention, type MaskKind } from '../../../shared/domain';

export function registerProjectCommands(program: Command): void {
  program
    .command('init')
    .description('create a new, empty project file')
    .argument('<project>', 'project file to create (e.g. smears.hemaseg)')
    .action((path: string) => {
      if (existsSync(path)) throw new CliError(`${path}: already exists (open it with \`hemaseg info ${path}\`)`);
      const p = openForCli(path, { create: true });
      console.log(`created ${p.path}`);
      p.close();
    });

  program
    .command('import')
    .description('import a folder of PNG, JPEG, TIFF or BMP images, with masks beside them or in --masks')
    .argument('<project>', 'project file')
    .argument('<folder>', 'folder of images')
    .option('--masks <dir>', 'folder of masks named like the images')
    .option('--mask-convention <name>', 'gray3 | rgb | binary | index | auto | none', oneOf('mask-convention', [...MASK_CONVENTIONS, 'auto', 'none'] as const), 'auto')
    .option('-r, --recursive', 'include sub-folders', false)
    .option('--max-megapixels <n>', 'refuse images and masks declaring more pixels (default: the project setting, 50)', parseFloatOption('max-megapixels', 0.01, 1000))
    .option('--as-sequence [name]', 'import the folder as one sequence of frames ordered by the number in their names (name: default the folder\'s)')
    .option('--frame-interval <s>', 'with --as-sequence: seconds between frames', parseFloatOption('frame-interval', 1e-9, 1e9))
    .option('--protocol <name>', 'with --as-sequence: split the frames by a protocol (seed000) instead of one split for the whole sequence')
    .option('--json', 'print the import report as JSON', false)
    .action(async (path: string, folder: string, o: { masks?: string; maskConvention: MaskConvention | 'auto' | 'none'; recursive: boolean; maxMegapixels?: number; asSequence?: string | boolean; frameInterval?: number; protocol?: string; json: boolean }) => {
      if (!existsSync(folder)) throw new CliError(`${folder}: no such folder`);
      if (!o.asSequence && (o.frameInterval !== undefined || o.protocol !== undefined)) throw new CliError('--frame-interval and --protocol apply to --as-sequence imports only', 2);
      const p = openForCli(path);
      const bar = new ProgressBar('importing', o.json);
      try {
        const options: ImportOptions = {
          masksDir: o.masks ?? null,
          maskConvention: o.maskConvention,
          recursive: o.recursive,
          maxMegapixels: o.maxMegapixels,
          onProgress: ({ done, total }) => bar.update(done, total),
        };
        const r = o.asSequence
          ? await importSequenceFolder(p, folder, { name: typeof o.asSequence === 'string' ? o.asSequence : undefined, frameInterval: o.frameInterval, protocol: o.protocol }, options)
          : await importFolder(p, folder, options);
        bar.done();
        if (o.json) {
          console.log(JSON.stringify({ ...r, imageIds: undefined }, null, 2));
        } else {
          console.log(`imported ${r.imported} images and ${r.masksImported} ground-truth masks from ${folder} (${r.duplicates} already in the project, ${r.skipped.length} skipped)`);
          for (const n of r.notes) console.log(`  note: ${n.file}: ${n.note}`);
          for (const s of r.skipped) console.log(`  skipped: ${s.file}: ${s.reason}`);
        }
      } catch (err) {
        bar.done();
        throw new CliError((err as Error).message);
      } finally {
        p.close();
      }
    });

  program
    .command('info')
    .description('counts of images, masks per kind, difficulty classes and splits')
    .argument('<project>', 'project file')
    .option('--json', 'print as JSON', false)
    .action((path: string, o: { json: boolean }) => {
      const p = openForCli(path, { readonly: true });
      try {
        const c = p.counts();
        const settings = p.settings.get();
        const sources = p.masks.sources();
        if (o.json) {
          console.log(JSON.stringify({ path: p.path, ...c, settings, sources }, null, 2));
          return;
        }
        console.log(`${p.path}`);
        console.log(`images: ${c.images}${c.sequences ? ` (${c.frames} frames in ${c.sequences} sequences, ${c.unusedFrames} of them in no split)` : ''}`);
        console.log(`masks:  ${MASK_KINDS.map((k) => `${k} ${c.masksByKind[k]} versions on ${c.imagesWithMaskKind[k]} images`).join('; ')}`);
        console.log(`split:  train ${c.bySplit.train}, val ${c.bySplit.val}, test ${c.bySplit.test}`);
        const diff = Object.entries(c.byDifficulty).sort().map(([k, v]) => `${k === 'none' ? 'unclassified' : `class ${k}`} ${v}`);
        console.log(`difficulty: ${diff.join(', ') || '-'}`);
        if (sources.length) console.log(`sources: ${sources.map((s) => `${s.kind}:${s.source} (${s.images})`).join(', ')}`);
        console.log(`calibration: ${settings.pixelsPerMicrometre} px/um`);
      } finally {
        p.close();
      }
    });

  program
    .command('export-masks')
    .description('write the current mask of each image as PNG in a convention')
    .argument('<project>', 'project file')
    .argument('<dir>', 'output folder')
    .option('--kind <kind>', 'ground-truth | prediction | baseline', oneOf('kind', MASK_KINDS), 'ground-truth')
    .option('--source <name>', 'mask source, e.g. a model name@version or active-contour')
    .option('--convention <name>', 'gray3 | rgb | binary | index', oneOf('convention', MASK_CONVENTIONS), 'gray3')
    .option('--force', 'write into a folder that already holds files (never over the files images or masks were imported from)', false)
    .action(async (path: string, dir: string, o: { kind: MaskKind; source?: string; convention: MaskConvention; force: boolean }) => {
      const p = openForCli(path, { readonly: true });
      try {
        const r = await exportMasks(p, dir, { kind: o.kind, source: o.source, convention: o.convention, force: o.force }).catch((err: unknown) => {
          throw err instanceof ExportRefusedError ? new CliError(err.message) : err;
        });
        console.log(`wrote ${r.written} masks to ${dir}${r.missing ? ` (${r.missing} images have no ${o.kind}${o.source ? ` from ${o.source}` : ''})` : ''}`);
        if (r.written === 0) throw new CliError(`no ${o.kind} masks${o.source ? ` from ${o.source}` : ''} to export`);
      } finally {
        p.close();
      }
    });
}
