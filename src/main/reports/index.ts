// Public surface of the CNR analysis and report export.
export { analyzeCells, analyzeImage, defaultMergeGapPx, defaultMinCellPx } from './analyzeCells';
export { DEFAULT_MIN_LOBE_FRACTION, DEFAULT_SMUDGE_CYTOPLASM_FRACTION } from './analyzeCells';
export { cnrStats, summarizeCnr, type SummaryOptions } from './summary';
export { buildReportModel, type ImageReport, type ReportModel } from './model';
export { renderCsv, CSV_COLUMNS } from './csvReport';
export { renderHtml } from './htmlReport';
export { renderPdf, type PdfResult } from './pdfReport';
export { renderOverlayPng } from './thumbnail';
export { REPORT_FORMATS, renderReport, reportFormatOf, writeReport, type RenderedReport } from './writeReport';
export type * from './types';
