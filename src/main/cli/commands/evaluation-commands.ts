import type { Command } from 'commander';
import { CliError, oneOf, parseFloatOption, parseIntOption } from '../cli-error';
import { openForCli } from '../open-project';
import { runEvaluation, type EvaluationRun } from '../../evaluation/run-evaluation';
import { writeEvaluationFiles } from '../../evaluation/write-evaluation';
import { formatSummary } from '../../metrics/tables';
import { parseWorstList, type ComparisonRun } from '../../../shared/core/comparison';
import { runComparison } from '../../evaluation/compare/run-comparison';
import { formatComparison } from '../../evaluation/compare/format-comparison';
import { SPLITS, type Split } from '../../../shared/domain';

const SPLIT_CHOICES = [...SPLITS, 'all'] as const;

function evaluateOrFail(fn: () => EvaluationRun): EvaluationRun {
  try {
    return fn();
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

export function registerEvaluationCommands(program: Command): void {
  program
    .command('evaluate')
    .description('score a mask source against the ground truth (or another source): IoU, IoU_b, Dice, precision, recall, SEG')
    .argument('<project>', 'project file')
    .requiredOption('--pred <source>', 'model NAME[@VERSION], active-contour, prediction or ground-truth')
    .option('--truth <source>', 'reference source', 'ground-truth')
    .option('--split <split>', 'train | val | test | all', oneOf('split', SPLIT_CHOICES), 'test')
    .option('--border <px>', 'IoU_b border band in px (default: 1 px per 128 px of image side)', parseIntOption('border', 0, 64))
    .option('--threshold <t>', 'only checked: the threshold the predictions were made with is recorded', parseFloatOption('threshold', 0.0001, 0.9999))
    .option('--metric <name>', 'metric of the histogram', 'iou_b.cell')
    .option('--out <dir>', 'write the per-difficulty table (CSV), histogram (SVG, PNG) and difference images')
    .option('--json', 'per-class means and per-image rows as JSON', false)
    .option('--no-store', 'do not store the evaluation in the project (opens it read-only)')
    .action(async (path: string, o: { pred: string; truth: string; split: Split | 'all'; border?: number; threshold?: number; metric: string; out?: string; json: boolean; store: boolean }) => {
      const p = openForCli(path, { readonly: !o.store });
      try {
        const run = evaluateOrFail(() => runEvaluation(p, { pred: o.pred, truth: o.truth, split: o.split, borderPx: o.border ?? null, histogramMetric: o.metric, store: o.store }));
        if (o.threshold !== undefined && run.result.settings.threshold !== null && Math.abs(run.result.settings.threshold - o.threshold) > 1e-9) {
          console.error(`warning: ${o.pred} was segmented with threshold ${run.result.settings.threshold}, not ${o.threshold}; re-run \`hemaseg segment --threshold ${o.threshold}\` to change it`);
        }
        if (o.json) {
          console.log(JSON.stringify({ id: run.id, ...run.result, missing: run.missing }, null, 1));
        } else {
          console.log(formatSummary(run.result));
          if (run.missing.length) console.log(`(${run.missing.length} images left out: missing masks)`);
          console.log(run.id === null ? 'not stored (--no-store)' : `stored as evaluation ${run.id}`);
        }
        if (o.out) {
          const files = await writeEvaluationFiles(run, o.out);
          if (!o.json) console.log(`wrote ${files.length} outputs to ${o.out}`);
        }
      } finally {
        p.close();
      }
    });

  program
    .command('compare')
    .description('any number of mask sources against the ground truth on ONE image set (the images every source has): tables per metric, class and difficulty class, worst-N; stored in the project')
    .argument('<project>', 'project file')
    .option('--sources <list>', 'comma-separated sources: model NAME[@VERSION], active-contour, ground-truth (e.g. unet@2,segnet@1,active-contour)')
    .option('--a <source>', 'first source (with --b: the same as --sources A,B)')
    .option('--b <source>', 'second source')
    .option('--truth <source>', 'reference source', 'ground-truth')
    .option('--split <split>', 'train | val | test | all', oneOf('split', SPLIT_CHOICES), 'test')
    .option('--border <px>', 'IoU_b border band in px', parseIntOption('border', 0, 64))
    .option('--worst <list>', 'N values of the worst-N table', '10,30,50')
    .option('--metric <name>', 'metric of the worst-N and difficulty tables', 'iou.cell')
    .option('--label <text>', 'a name for the stored comparison')
    .option('--json', 'print as JSON', false)
    .action((path: string, o: { sources?: string; a?: string; b?: string; truth: string; split: Split | 'all'; border?: number; worst: string; metric: string; label?: string; json: boolean }) => {
      let worst: number[];
      try {
        worst = parseWorstList(o.worst);
      } catch (err) {
        throw new CliError(`--worst: ${(err as Error).message}`, 2);
      }
      const sources = [...(o.sources ? o.sources.split(',').map((x) => x.trim()).filter(Boolean) : []), ...(o.a ? [o.a] : []), ...(o.b ? [o.b] : [])];
      if (!sources.length) throw new CliError('give the sources to compare: --sources unet@2,segnet@1,active-contour (or --a and --b)', 2);
      const p = openForCli(path);
      try {
        let run: ComparisonRun;
        try {
          run = runComparison(p, { sources, truth: o.truth, split: o.split, borderPx: o.border ?? null, worst, metric: o.metric, label: o.label ?? null });
        } catch (err) {
          throw new CliError((err as Error).message);
        }
        if (o.json) {
          console.log(JSON.stringify(run, null, 1));
          return;
        }
        console.log(formatComparison(run));
        console.log(`\nstored as comparison ${run.comparison.id} (evaluations ${run.comparison.sources.map((x) => x.evaluationId).join(', ')})`);
      } finally {
        p.close();
      }
    });
}
