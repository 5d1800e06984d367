import type { HandlerGroup } from '../handler-types';
import { rememberFolder } from '../folder-listing';
import { loadImagePixels } from '../../imaging/image-cache';
import { importInWorker } from '../../transfer/import-in-worker';
import { userName } from '../user-name';
import { exportMasks } from '../../transfer/export-masks';
import { DIFFICULTY_CLASSES, SPLITS } from '../../../shared/domain';

export const imageHandlers: HandlerGroup<
  'images.list' | 'images.get' | 'images.pixels' | 'images.update' | 'import.start' | 'export.masks'
> = {
  'images.list': (req, ctx) => ctx.requireProject().images.list(req ?? {}),
  'images.get': (req, ctx) => {
    const img = ctx.requireProject().images.get(req.id);
    if (!img) throw new Error(`no image with id ${req.id}`);
    return img;
  },
  'images.pixels': async (req, ctx) => {
    const img = await loadImagePixels(ctx.requireProject(), req.id);
    return { width: img.width, height: img.height, rgb: img.data };
  },
  'images.update': (req, ctx) => {
    if (req.difficulty !== undefined && req.difficulty !== null && !DIFFICULTY_CLASSES.some((d) => d.id === req.difficulty)) {
      throw new Error(`difficulty class must be 1-8 or none, got ${String(req.difficulty)}`);
    }
    if (req.split !== undefined && !SPLITS.includes(req.split)) throw new Error(`split must be train, val or test, got ${String(req.split)}`);
    const changed = ctx.requireProject().images.update(req.ids, req);
    ctx.emit({ type: 'images-changed', ids: req.ids });
    return { changed };
  },
  'import.start': (req, ctx) => {
    const project = ctx.requireProject();
    rememberFolder(project, req.folder); // the folder browser starts here next time
    const job = ctx.jobs.start('import', `Import ${req.folder}`, async (job) => {
      // Decoding runs in a worker process: a hostile file must not grow the host's memory.
      const report = await importInWorker(
        project.path,
        req.folder,
        { masksDir: req.masksDir ?? null, maskConvention: req.convention ?? 'auto', recursive: req.recursive ?? false, author: userName(), asSequence: req.asSequence ?? null },
        { signal: job.signal, onProgress: (p) => job.progress(p.done, p.total, p.file) },
      );
      ctx.emit({ type: 'images-changed', ids: 'all' });
      return report;
    });
    return { jobId: job.id };
  },
  'export.masks': (req, ctx) => exportMasks(ctx.requireProject(), req.dir, { kind: req.kind, source: req.source, convention: req.convention, force: req.force ?? false }),
};
