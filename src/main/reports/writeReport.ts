// Entry points: analyse the input, render one format, write it atomically (temp file in the
// target folder + rename), so a failure never leaves a half-written report behind.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { renderCsv } from './csvReport';
import { renderHtml } from './htmlReport';
import { buildReportModel, type ReportModel } from './model';
import { renderPdf } from './pdfReport';
import { renderOverlayPng } from './thumbnail';
import type { ReportFormat, ReportInput, ReportResult } from './types';

export const REPORT_FORMATS: readonly ReportFormat[] = ['csv', 'pdf', 'html'];

/** Format from the file extension (.csv, .pdf, .html/.htm, any case); throws on anything else. */
export function reportFormatOf(file: string): ReportFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.pdf') return 'pdf';
  if (ext === '.html' || ext === '.htm') return 'html';
  throw new Error(
    `Cannot tell the report format of "${basename(file)}": the file name must end in .csv, .pdf or .html` +
      (ext ? ` (got "${ext}")` : ' (it has no extension)'),
  );
}

export interface RenderedReport {
  data: Buffer;
  model: ReportModel;
  pages?: number;
}

/** Renders a report in memory (for the UI preview or the CLI). */
export async function renderReport(input: ReportInput, format: ReportFormat): Promise<RenderedReport> {
  const model = buildReportModel(input);
  if (format === 'csv') return { data: Buffer.from(renderCsv(model), 'utf8'), model };
  const thumbs = await renderThumbnails(model);
  if (format === 'html') return { data: Buffer.from(renderHtml(model, thumbs), 'utf8'), model };
  const pdf = await renderPdf(model, thumbs);
  return { data: pdf.data, model, pages: pdf.pages };
}

export async function writeReport(input: ReportInput, outFile: string): Promise<ReportResult> {
  const format = reportFormatOf(outFile);
  const file = resolve(outFile);
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const existing = await stat(file).catch(() => null);
  if (existing?.isDirectory()) throw new Error(`Cannot write the report: ${file} is a folder`);
  const rendered = await renderReport(input, format);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, rendered.data, { flag: 'wx' });
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  const t = rendered.model.totals;
  return {
    format,
    file,
    bytes: rendered.data.length,
    images: t.images,
    cells: t.cells,
    imagesWithCnr: t.imagesWithCnr,
    flaggedImages: t.flaggedImages,
    ...(rendered.pages !== undefined ? { pages: rendered.pages } : {}),
  };
}

/** Overlay thumbnails, a few at a time (sharp works off the main thread). */
async function renderThumbnails(model: ReportModel): Promise<Buffer[]> {
  const out = new Array<Buffer>(model.images.length);
  const batch = 8;
  for (let i = 0; i < model.images.length; i += batch) {
    const slice = model.images.slice(i, i + batch);
    const done = await Promise.all(slice.map((r) => renderOverlayPng(r.input.image, r.input.mask, r.analysis)));
    done.forEach((b, k) => (out[i + k] = b));
  }
  return out;
}
