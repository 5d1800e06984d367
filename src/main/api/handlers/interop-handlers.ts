import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HandlerGroup } from '../handler-types';
import { REVIEW_STATES } from '../../../shared/domain';
import { userName } from '../user-name';
import { rememberFolder } from '../folder-listing';
import { Project } from '../../project/project';
import { applyTagsCsv } from '../../project/tags-csv';
import { EXPORT_FORMATS } from '../../interop/registry';
import { checkExportTarget, exportInterop } from '../../interop/export-annotations';
import { importAnnotationFile } from '../../interop/import-annotations';
import { evaluateOnProject } from '../../ml/registry/project-validation';
import { runSegmentation } from '../../ml/inference/segment-service';

// Review states, tags, interoperability (COCO, GeoJSON, label images), the folder memory and
// registry numbers on this project's validation images.

export const interopHandlers: HandlerGroup<
  | 'images.setReview' | 'images.reviewCounts' | 'images.tags' | 'tags.import'
  | 'interop.formats' | 'interop.export' | 'interop.importAnnotations' | 'fs.remember' | 'models.evaluate'
> = {
  'images.setReview': (req, ctx) => {
    if (!REVIEW_STATES.includes(req.review)) throw new Error(`review must be draft or reviewed, got ${String(req.review)}`);
    if (!Array.isArray(req.ids) || !req.ids.every((id) => Number.isInteger(id))) throw new Error('ids must be a list of image ids');
    const p = ctx.requireProject();
    const changed = p.images.setReview(req.ids, req.review, userName());
    ctx.emit({ type: 'images-changed', ids: req.ids });
    return { changed, counts: p.images.reviewCounts() };
  },
  'images.reviewCounts': (_req, ctx) => ctx.requireProject().images.reviewCounts(),
  'images.tags': (_req, ctx) => ctx.requireProject().images.tagCounts(),
  'tags.import': (req, ctx) => {
    const r = applyTagsCsv(ctx.requireProject(), req.file);
    ctx.emit({ type: 'images-changed', ids: 'all' });
    return r;
  },

  'interop.formats': () => EXPORT_FORMATS.map((f) => ({ ...f.info })),
  'interop.export': (req, ctx) => {
    const project = ctx.requireProject();
    checkExportTarget(req); // a bad request fails here, not as a failed job
    const path = project.path;
    const job = ctx.jobs.start('export', `Export ${req.format} to ${req.out}`, async (jc) => {
      const p = Project.open(path);
      try {
        return await exportInterop(p, req, { signal: jc.signal, onProgress: (d, t) => jc.progress(d, t) });
      } finally {
        p.close();
      }
    });
    return { jobId: job.id };
  },
  'interop.importAnnotations': (req, ctx) => {
    const project = ctx.requireProject();
    if (!req.file || !existsSync(req.file) || !statSync(req.file).isFile()) throw new Error(`${req.file}: no such file`);
    const job = ctx.jobs.start('import', `Import annotations ${req.file}`, async (jc) => {
      jc.progress(0, 1, 'reading');
      const r = importAnnotationFile(project, req.file);
      jc.progress(1, 1, `${r.imported} images`);
      ctx.emit({ type: 'images-changed', ids: r.imageIds.length ? r.imageIds : 'all' });
      return r;
    });
    return { jobId: job.id };
  },
  'fs.remember': (req, ctx) => {
    const path = resolve(req.path);
    if (!existsSync(path) || !statSync(path).isDirectory()) throw new Error(`${path}: not a folder`);
    rememberFolder(ctx.requireProject(), path);
    return { path };
  },

  'models.evaluate': (req, ctx) => {
    const project = ctx.requireProject();
    const all = project.models.list().map((m) => m.ref);
    const refs = req.refs?.length ? req.refs : all;
    const unknown = refs.filter((r) => !all.includes(r));
    if (unknown.length) throw new Error(`not in this project's registry: ${unknown.join(', ')}`);
    const path = project.path;
    const job = ctx.jobs.start('evaluate', `Scoring ${refs.length} model version${refs.length === 1 ? '' : 's'} on this project's validation images`, async (jc) => {
      const p = Project.open(path);
      try {
        const threshold = p.settings.get().threshold;
        return await evaluateOnProject(p, refs, {
          signal: jc.signal,
          onProgress: (d, t, m) => jc.progress(d, t, m),
          segment: async (ref, imageIds) => {
            await runSegmentation(p, { model: ref, target: { kind: 'project', images: 'val', imageIds }, threshold }, {
              author: userName(), signal: jc.signal,
              onReady: (backend, detail) => {
                ctx.backend = { backend, detail };
              },
            });
          },
        });
      } finally {
        p.close();
      }
    });
    return { jobId: job.id };
  },
};
