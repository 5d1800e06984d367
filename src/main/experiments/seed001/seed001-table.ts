// The seed001 report: SEG per test sequence and overall for both losses, beside the paper's.
import type { Seed001Result } from './seed001';

const pct = (v: number | null): string => (v === null ? '   -  ' : `${(100 * v).toFixed(1).padStart(5)}%`);

export function formatSeed001Report(r: Seed001Result): string {
  const [three, two] = r.networks;
  const lines: string[] = [];
  lines.push(`seed001: U-LSTM, three-class (edge) loss vs boundary-weighted two-class loss; SEG on touching, moving cells`);
  lines.push(`data: ${r.data.sequences} generated sequences x ${r.data.frames} frames, ${r.data.size} px (seed ${r.data.seed}); train ${r.data.trainSequences.join(', ')}; test ${r.data.testSequences.join(', ')}`);
  lines.push(`backend: ${r.backend}; RMSProp lr ${r.learningRate}; batches of 3 sequences, truncated BPTT unroll 5; streaming inference`);
  lines.push('');
  lines.push(`| sequence | 3-class SEG | 2-class SEG |`);
  lines.push(`|---|---|---|`);
  for (const name of r.data.testSequences) {
    const a = three.sequences.find((s) => s.sequence === name);
    const b = two.sequences.find((s) => s.sequence === name);
    lines.push(`| ${name} (${a?.objects ?? 0} cells over ${a?.frames ?? 0} frames) | ${pct(a?.seg ?? null)} | ${pct(b?.seg ?? null)} |`);
  }
  lines.push(`| overall (pooled cells) | ${pct(three.seg)} | ${pct(two.seg)} |`);
  lines.push(`| mean of sequences | ${pct(three.meanOfSequences)} | ${pct(two.meanOfSequences)} |`);
  lines.push(`| the paper | ${pct(three.paperSeg)} | ${pct(two.paperSeg)} |`);
  lines.push('');
  for (const n of r.networks) {
    lines.push(`${n.modelRef} (${n.label}): ${n.paramCount} parameters, ${n.batches} batches in ${n.trainSeconds.toFixed(0)} s, loss ${n.firstLoss.toFixed(3)} -> ${n.lastLoss.toFixed(3)}, streaming ${n.framesPerSecond.toFixed(1)} frames/s, evaluation ${n.evaluationId ?? '-'}`);
  }
  lines.push(`direction (3-class SEG above 2-class): ${r.directionHolds ? 'holds' : 'does NOT hold'} (paper: 80.2% vs 67.7%)`);
  lines.push(`project: ${r.project}`);
  return lines.join('\n');
}
