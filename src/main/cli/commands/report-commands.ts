import type { Command } from 'commander';
import { CliError, oneOf } from '../cli-error';
import { openForCli } from '../open-project';
import { buildReportInput } from '../../reporting/build-report-input';
import { reportFormatOf, writeReport } from '../../reports';
import { SPLITS, type Split } from '../../../shared/domain';

export function registerReportCommands(program: Command): void {
  program
    .command('report')
    .description('cytoplasm-to-nucleus-ratio (CNR) report as CSV, PDF or HTML')
    .argument('<project>', 'project file')
    .requiredOption('--out <file>', 'FILE.csv, FILE.pdf or FILE.html')
    .option('--source <source>', 'ground-truth, a model NAME[@VERSION] or active-contour', 'ground-truth')
    .option('--images <set>', 'all | train | val | test', oneOf('images', ['all', ...SPLITS] as const), 'all')
    .option('--corrected-only', 'use corrected masks only: prediction-only images get no CNR', false)
    .action(async (path: string, o: { out: string; source: string; images: 'all' | Split; correctedOnly: boolean }) => {
      try {
        reportFormatOf(o.out);
      } catch (err) {
        throw new CliError((err as Error).message, 2);
      }
      const p = openForCli(path, { readonly: true });
      try {
        const { input, missing, unreadable } = await buildReportInput(p, { source: o.source, images: o.images, correctedOnly: o.correctedOnly }, null);
        if (!input.images.length) throw new CliError(`no image${o.images === 'all' ? '' : ` in the ${o.images} split`} has a ${o.source} mask to report on`);
        const r = await writeReport(input, o.out);
        console.log(`wrote ${r.file}: ${r.images} images, ${r.cells} cells, CNR for ${r.imagesWithCnr} images, ${r.flaggedImages} flagged${r.pages ? `, ${r.pages} pages` : ''}${missing ? ` (${missing} images without a ${o.source} mask left out)` : ''}`);
        for (const u of unreadable) console.error(`warning: ${u.name}: ${u.reason} (listed with the flag unreadable-mask)`);
      } finally {
        p.close();
      }
    });
}
