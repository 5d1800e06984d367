import type { Command } from 'commander';
import { CliError, oneOf, parseFloatOption, parseIntOption } from '../cli-error';
import { openForCli } from '../open-project';
import { runEvaluation, type EvaluationRun } from '../../evaluation/run-evaluation';
import { writeEvaluationFiles } from '../../evaluation/write-evaluation';
import { formatSummary } from '../../metrics/tables';
import { metricOf, worstN } from '../../../shared/core/summary';
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
    .description('two mask sources side by side against the ground truth, with the worst-N table')
    .argument('<project>', 'project file')
    .requiredOption('--a <source>', 'first source, e.g. active-contour')
    .requiredOption('--b <source>', 'second source, e.g. unet@2')
    .option('--truth <source>', 'reference source', 'ground-truth')
    .option('--split <split>', 'train | val | test | all', oneOf('split', SPLIT_CHOICES), 'test')
    .option('--border <px>', 'IoU_b border band in px', parseIntOption('border', 0, 64))
    .option('--worst <list>', 'N values of the worst-N table', '10,30,50')
    .option('--metric <name>', 'metric for the worst-N table', 'iou.cell')
    .option('--json', 'print as JSON', false)
    .action((path: string, o: { a: string; b: string; truth: string; split: Split | 'all'; border?: number; worst: string; metric: string; json: boolean }) => {
      const ns = o.worst.split(',').map(Number);
      if (ns.some((n) => !Number.isInteger(n) || n < 1)) throw new CliError(`--worst must be positive whole numbers, got '${o.worst}'`, 2);
      const p = openForCli(path);
      try {
        const ra = evaluateOrFail(() => runEvaluation(p, { pred: o.a, truth: o.truth, split: o.split, borderPx: o.border ?? null }));
        const rb = evaluateOrFail(() => runEvaluation(p, { pred: o.b, truth: o.truth, split: o.split, borderPx: o.border ?? null }));
        const worst = ns.map((n) => worstN(ra.result.perImage, rb.result.perImage, n, o.metric));
        if (o.json) {
          console.log(JSON.stringify({ a: { id: ra.id, means: ra.result.means, byDifficulty: ra.result.byDifficulty }, b: { id: rb.id, means: rb.result.means, byDifficulty: rb.result.byDifficulty }, worst }, null, 1));
          return;
        }
        const keys = ['iou.cell', 'iou_b.cell', 'iou.cytoplasm', 'iou_b.cytoplasm', 'iou.nucleus', 'iou_b.nucleus', 'dice.cytoplasm', 'dice.nucleus', 'precision.cell', 'recall.cell', 'accuracy', 'seg'];
        const f = (r: EvaluationRun, k: string) => (r.result.means[k] ? `${(r.result.means[k].mean * 100).toFixed(1)}%` : '-');
        console.log(`${'metric'.padEnd(18)} ${o.a.padStart(16)} ${o.b.padStart(16)}   (${o.split}, vs ${o.truth}; ${ra.result.images} / ${rb.result.images} images)`);
        for (const k of keys) console.log(`${k.padEnd(18)} ${f(ra, k).padStart(16)} ${f(rb, k).padStart(16)}`);
        const classes = [...new Set([...Object.keys(ra.result.byDifficulty), ...Object.keys(rb.result.byDifficulty)])].filter((k) => k !== 'none').sort();
        if (classes.length) {
          console.log(`\nIoU_b (cell) per difficulty class`);
          for (const c of classes) {
            const v = (r: EvaluationRun) => (r.result.byDifficulty[c]?.['iou_b.cell'] ? `${(r.result.byDifficulty[c]['iou_b.cell'].mean * 100).toFixed(1)}%` : '-');
            console.log(`  class ${c}${' '.repeat(10)} ${v(ra).padStart(16)} ${v(rb).padStart(16)}`);
          }
        }
        console.log(`\nworst-N on ${o.metric} (union of each method's N worst images)`);
        for (const w of worst) console.log(`  N=${String(w.n).padEnd(4)} ${String(w.images.length).padStart(4)} images ${`${(w.meanA * 100).toFixed(1)}%`.padStart(16)} ${`${(w.meanB * 100).toFixed(1)}%`.padStart(16)}`);
        const lowest = [...rb.result.perImage].sort((x, y) => (metricOf(x, o.metric) ?? 0) - (metricOf(y, o.metric) ?? 0)).slice(0, 5);
        console.log(`\nlowest ${o.metric} for ${o.b}: ${lowest.map((r) => `${r.name} ${((metricOf(r, o.metric) ?? 0) * 100).toFixed(1)}%`).join(', ')}`);
        console.log(`stored as evaluations ${ra.id} and ${rb.id}`);
      } finally {
        p.close();
      }
    });
}
