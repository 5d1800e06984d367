import type { HandlerGroup } from '../handler-types';
import { buildReportInput } from '../../reporting/build-report-input';
import { reportFormatOf, writeReport } from '../../reports';

export const reportHandlers: HandlerGroup<'report.export'> = {
  'report.export': (req, ctx) => {
    reportFormatOf(req.out); // a bad extension fails the call itself, not a job later
    const project = ctx.requireProject();
    const job = ctx.jobs.start('report', `Report ${req.out}`, async (job) => {
      job.progress(0, 2, 'collecting masks');
      const { input } = await buildReportInput(project, { source: req.source, images: req.images, correctedOnly: req.correctedOnly }, ctx.backend?.backend ?? null);
      if (!input.images.length) throw new Error(`no image has a ${req.source} mask to report on`);
      job.progress(1, 2, 'writing');
      const r = await writeReport(input, req.out);
      job.progress(2, 2, r.file);
      return { path: r.file, ...r };
    });
    return { jobId: job.id };
  },
};
