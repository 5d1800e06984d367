// Turns a ReportInput into the analysed report model every exporter renders: per-image analysis,
// the image's CNR (its centred cell's), its flags, the summary and the histogram.
import { analyzeImage } from './analyzeCells';
import { histogram, type Histogram } from './histogram';
import { summarizeCnr } from './summary';
import type { CellMeasurement, CnrSummary, Flag, ImageAnalysis, ReportImageInput, ReportInput } from './types';

export interface ImageReport {
  input: ReportImageInput;
  analysis: ImageAnalysis;
  /** The reported cell (nearest the centre), or null when the mask has no WBC. */
  centred: CellMeasurement | null;
  /** Other cells and fragments, listed but not reported. */
  others: CellMeasurement[];
  /** The image's CNR: the centred cell's, null when withheld. */
  cnr: number | null;
  /** Image flags followed by the centred cell's flags (deduplicated by code). */
  flags: Flag[];
}

export interface ReportModel {
  meta: Omit<ReportInput, 'images'>;
  images: ImageReport[];
  summary: CnrSummary;
  histogram: Histogram;
  totals: { images: number; cells: number; imagesWithCnr: number; flaggedImages: number };
}

export function buildReportModel(input: ReportInput): ReportModel {
  const { images: inputs, ...meta } = input;
  const images = inputs.map((img): ImageReport => {
    const corrected = img.corrected ?? img.maskKind === 'ground-truth';
    const analysis = img.unreadable
      ? { ...analyzeImage(img.mask, { pixelsPerMicrometre: input.calibration }), flags: [{ code: 'unreadable-mask' as const, reason: `Mask not analysed: ${img.unreadable}.` }] }
      : analyzeImage(img.mask, {
          ...input.analysis,
          pixelsPerMicrometre: input.calibration,
          predictionOnly: input.correctedOnly === true && !corrected,
        });
    const centred = analysis.cells.find((c) => c.centred) ?? null;
    // Low model confidence asks for review without withholding the CNR (cell ids are instance ids).
    const conf = img.confidence;
    if (conf) {
      const byInstance = new Map(conf.cells.map((c) => [c.instance, c.confidence]));
      for (const c of analysis.cells) {
        const v = byInstance.get(c.id) ?? (conf.cells.length === 0 && c.centred ? conf.image : undefined);
        if (v !== undefined && v < conf.threshold && !c.flags.some((f) => f.code === 'fragment')) {
          c.flags.push({ code: 'low-confidence', reason: `The model was unsure about this cell (confidence ${v.toFixed(2)} < ${conf.threshold}): review its mask.` });
        }
      }
    }
    const flags: Flag[] = [...analysis.flags];
    for (const f of centred?.flags ?? []) if (!flags.some((g) => g.code === f.code)) flags.push(f);
    return {
      input: img,
      analysis,
      centred,
      others: analysis.cells.filter((c) => !c.centred),
      cnr: centred?.cnr ?? null,
      flags,
    };
  });
  const summary = summarizeCnr(
    images.map((r) => ({ cnr: r.cnr, difficulty: r.input.difficulty, typeTag: r.input.typeTag, sequence: r.input.sequence ?? null })),
  );
  const values = images.flatMap((r) => (r.cnr === null ? [] : [r.cnr]));
  return {
    meta,
    images,
    summary,
    // About sqrt(n) bins (8..24) before rounding the width to a nice step.
    histogram: histogram(values, Math.min(24, Math.max(8, Math.round(Math.sqrt(values.length))))),
    totals: {
      images: images.length,
      cells: images.reduce((s, r) => s + r.analysis.cells.length, 0),
      imagesWithCnr: values.length,
      flaggedImages: images.filter((r) => r.flags.length > 0).length,
    },
  };
}
