// Seed 000's own numbers (../../../../shared docs: seeds.md section D, "Tables to reproduce")
// and the text table that prints them beside the numbers measured here.
import { textTable } from '../seed-common/seed-run';
import type { Seed000Result } from './seed000';

export interface ReportRow {
  params: number;
  lr: number;
  /** Test accuracy / recall / precision at threshold 0.7. */
  acc: number;
  rec: number;
  prec: number;
}

/** The report's networks in its table's order: five LSTM-CNNs with their similar CNNs, then En-T-D2 and D3. */
export const SEED000_NETWORKS = [
  'lstm-cnn-ende-p', 'cnn-ende-p', 'lstm-cnn-en-p', 'cnn-en-p', 'lstm-cnn-ende-t', 'cnn-ende-t',
  'lstm-cnn-slim-t', 'cnn-slim-t', 'lstm-cnn-en-t', 'cnn-en-t', 'lstm-cnn-en-t-d2', 'lstm-cnn-en-t-d3',
] as const;

export const SEED000_REPORT: Record<string, ReportRow> = {
  'lstm-cnn-ende-p': { params: 22049, lr: 0.01, acc: 0.9715, rec: 0.8327, prec: 0.9593 },
  'cnn-ende-p': { params: 16801, lr: 0.01, acc: 0.986, rec: 0.9237, prec: 0.9772 },
  'lstm-cnn-en-p': { params: 10049, lr: 0.01, acc: 0.9761, rec: 0.8549, prec: 0.9713 },
  'cnn-en-p': { params: 4801, lr: 0.01, acc: 0.9838, rec: 0.9088, prec: 0.9768 },
  'lstm-cnn-ende-t': { params: 137057, lr: 0.01, acc: 0.9705, rec: 0.8276, prec: 0.9567 },
  'cnn-ende-t': { params: 25057, lr: 0.001, acc: 0.9858, rec: 0.9193, prec: 0.9806 },
  'lstm-cnn-slim-t': { params: 101057, lr: 0.005, acc: 0.9834, rec: 0.8976, prec: 0.9829 },
  'cnn-slim-t': { params: 1057, lr: 0.005, acc: 0.9774, rec: 0.8703, prec: 0.9697 },
  'lstm-cnn-en-t': { params: 125057, lr: 0.005, acc: 0.985, rec: 0.9111, prec: 0.9804 },
  'cnn-en-t': { params: 13057, lr: 0.001, acc: 0.9873, rec: 0.9282, prec: 0.982 },
  // The report gives D2/D3 results only; their learning rate is En-T's.
  'lstm-cnn-en-t-d2': { params: 125057, lr: 0.005, acc: 0.9919, rec: 0.9535, prec: 0.9883 },
  'lstm-cnn-en-t-d3': { params: 125057, lr: 0.005, acc: 0.9917, rec: 0.9526, prec: 0.9879 },
};

const f4 = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(4).replace(/^0/, ''));
const trio = (a: number | null | undefined, r: number | null | undefined, p: number | null | undefined): string => `${f4(a)}/${f4(r)}/${f4(p)}`;

export function formatSeed000Report(r: Seed000Result): string {
  const head = ['network', 'params rep/here', 'lr', 'report acc/rec/prec', 'here acc/rec/prec', 'recall sd', 'test cost', 'best val (epoch)', 'steps', 'time', 'stream acc/rec/prec'];
  const rows = r.networks.map((n) => [
    n.variant,
    `${n.report.params}/${n.params ?? '-'}`,
    String(n.lr),
    trio(n.report.acc, n.report.rec, n.report.prec),
    n.error ? `failed: ${n.error}` : trio(n.test?.accuracy, n.test?.recall, n.test?.precision),
    f4(n.test?.recallStd),
    n.test ? `${f4(n.test.cost)}±${f4(n.test.costStd)}` : '-',
    n.valLoss !== null ? `${f4(n.valLoss)} (${n.bestEpoch ?? '-'})` : '-',
    String(n.steps ?? '-'),
    n.trainingSeconds !== null ? `${Math.round(n.trainingSeconds)} s` : '-',
    n.stream ? trio(n.stream.accuracy, n.stream.recall, n.stream.precision) : '-',
  ]);
  const t = r.targets;
  const mark = (v: boolean | null): string => (v === null ? 'not run' : v ? 'met' : 'NOT met');
  return [
    `Seed 000: ${r.film.sequences.join(', ')} (${r.film.frames} frames of ${r.film.size}x${r.film.size}; train ${r.clips.train}, val ${r.clips.val}, test ${r.clips.test} frames; other frames unused), ${r.minutes} min per network, threshold 0.7, project ${r.project}`,
    '',
    textTable(head, rows),
    '',
    'here: clips of 5 frames ending at each test frame, state from zero (the report\'s protocol), mean over test frames; best val epoch = passes over the training frames;',
    'stream: the test frames segmented by streaming each film from its first frame with the state carried (stored predictions, evaluation in the project).',
    `Targets: CNN-En-T recall >= 0.92: ${mark(t.cnnEnTRecall)}; LSTM-CNN-En-T-D2 recall >= 0.95 and accuracy >= 0.99: ${mark(t.d2)}.`,
  ].join('\n');
}
