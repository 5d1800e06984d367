// PDF export (pdfkit): A4, built-in Helvetica, body text >= 9 pt, 18 mm margins.
// Pages: title + method, summary table + CNR histogram, flagged images, then image cards
// (12 per page: overlay thumbnail and numbers). Everything is drawn at explicit positions with
// lineBreak:false or measured heights, so pdfkit never inserts a page on its own.
import PDFDocument from 'pdfkit';
import { fixed, int, dateTime, difficultyLabel, groupLabel } from './format';
import { CARD_LEGEND, methodNotes, reportTitle, summaryGroups } from './reportText';
import type { ImageReport, ReportModel } from './model';
import type { CnrStats } from './types';
import { OUTLINE_COLOURS } from './thumbnail';
import { niceCountStep } from './histogram';

type Doc = PDFKit.PDFDocument;

const PAGE_W = 595.28;
const PAGE_H = 841.89;
const M = { top: 51, bottom: 62, left: 51, right: 51 };
const CONTENT_W = PAGE_W - M.left - M.right;
const BOTTOM = PAGE_H - M.bottom;
const C = {
  text: '#1d2733',
  muted: '#5b6773',
  rule: '#c9d1d9',
  shade: '#f1f4f7',
  accent: '#0b6e6e',
  bar: '#2a9d8f',
  flag: '#b3261e',
};
const F = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' };

/** Image cards: 2 columns x 6 rows per page. */
export const CARDS_PER_PAGE = 12;
const CARD = { cols: 2, rows: 6, gapX: 12, gapY: 8, h: 108, thumb: 90, pad: 7 };

export interface PdfResult {
  data: Buffer;
  pages: number;
}

export async function renderPdf(model: ReportModel, thumbnails: readonly Buffer[]): Promise<PdfResult> {
  const created = new Date(Date.parse(model.meta.createdAt) || Date.now());
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margins: M,
    bufferPages: true,
    autoFirstPage: true,
    info: {
      Title: `${reportTitle} - ${model.meta.projectName}`,
      Author: 'HemaSeg',
      Subject: `CNR report, mask source ${model.meta.maskSource}`,
      CreationDate: created,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });

  titlePage(doc, model);
  doc.addPage();
  doc.outline.addItem('Summary');
  summaryTable(doc, model);
  histogramChart(doc, model);
  flaggedList(doc, model);
  imageCards(doc, model, thumbnails);
  footers(doc, model);

  const pages = doc.bufferedPageRange().count;
  doc.end();
  await done;
  return { data: Buffer.concat(chunks), pages };
}

// ---------------------------------------------------------------------------------------------

function text(doc: Doc, s: string, x: number, y: number, o: { font?: string; size?: number; color?: string; width?: number; align?: 'left' | 'right' | 'center' } = {}): void {
  doc
    .font(o.font ?? F.regular)
    .fontSize(o.size ?? 10)
    .fillColor(o.color ?? C.text)
    .text(s, x, y, { lineBreak: false, width: o.width, align: o.align ?? 'left' });
}

/** Shortens `s` with an ellipsis to fit `width` at the current font. */
function fit(doc: Doc, s: string, width: number, font: string, size: number): string {
  doc.font(font).fontSize(size);
  if (doc.widthOfString(s) <= width) return s;
  let t = s;
  while (t.length > 1 && doc.widthOfString(`${t}…`) > width) t = t.slice(0, -1);
  return `${t}…`;
}

function heading(doc: Doc, s: string, y: number): number {
  text(doc, s, M.left, y, { font: F.bold, size: 15, color: C.accent });
  doc.moveTo(M.left, y + 21).lineTo(M.left + CONTENT_W, y + 21).lineWidth(0.8).strokeColor(C.accent).stroke();
  return y + 32;
}

/** Starts a new page when `h` points do not fit below `y`; returns the y to draw at. */
function ensure(doc: Doc, y: number, h: number): number {
  if (y + h <= BOTTOM) return y;
  doc.addPage();
  return M.top;
}

function titlePage(doc: Doc, model: ReportModel): void {
  const m = model.meta;
  doc.rect(0, 0, PAGE_W, 8).fill(C.accent);
  let y = 110;
  text(doc, 'HemaSeg · white blood cell segmentation', M.left, y, { size: 11, color: C.accent, font: F.bold });
  y += 22;
  text(doc, reportTitle, M.left, y, { size: 24, font: F.bold });
  y += 36;
  text(doc, fit(doc, m.projectName, CONTENT_W, F.regular, 15), M.left, y, { size: 15, color: C.muted });
  y += 44;
  const o = model.summary.overall;
  const rows: [string, string][] = [
    ['Project', m.projectName],
    ['Project folder', m.projectPath],
    ['Report date', dateTime(m.createdAt)],
    ['Mask source', m.maskSource + (m.correctedOnly ? ' (corrected masks only)' : '')],
    ['Calibration', `${m.calibration} px/µm (${fixed(1 / (m.calibration * m.calibration), 5)} µm² per pixel)`],
    ['Backend', m.backend ?? '–'],
    ['Model version', m.modelVersion ?? '–'],
    ['Images', `${int(model.totals.images)} (${int(model.totals.cells)} cell regions found)`],
    ['Images with a CNR', int(model.totals.imagesWithCnr)],
    ['Flagged images', int(model.totals.flaggedImages)],
    ['CNR median (IQR)', o.count ? `${fixed(o.median, 3)} (${fixed(o.q1, 3)} – ${fixed(o.q3, 3)})` : '–'],
  ];
  const labelW = 130;
  for (const [k, v] of rows) {
    doc.font(F.regular).fontSize(11);
    const h = Math.max(16, doc.heightOfString(v, { width: CONTENT_W - labelW }) + 4);
    text(doc, k, M.left, y, { size: 11, color: C.muted });
    doc.font(F.regular).fontSize(11).fillColor(C.text).text(v, M.left + labelW, y, { width: CONTENT_W - labelW });
    y += h;
    doc.moveTo(M.left, y - 3).lineTo(M.left + CONTENT_W, y - 3).lineWidth(0.4).strokeColor(C.rule).stroke();
  }
  y += 24;
  text(doc, 'How the numbers were computed', M.left, y, { font: F.bold, size: 12 });
  y += 20;
  for (const note of methodNotes(model)) {
    doc.font(F.regular).fontSize(9.5);
    const h = doc.heightOfString(note, { width: CONTENT_W - 12 });
    y = ensure(doc, y, h);
    doc.circle(M.left + 3, y + 4.5, 1.6).fill(C.accent);
    doc.fillColor(C.text).text(note, M.left + 12, y, { width: CONTENT_W - 12 });
    y += h + 5;
  }
}

function summaryTable(doc: Doc, model: ReportModel): void {
  let y = heading(doc, 'Summary of the CNR (centred cells)', M.top);
  const cols = [
    { label: 'Group', w: 155, align: 'left' as const },
    { label: 'n', w: 35, align: 'right' as const },
    { label: 'Mean', w: 43, align: 'right' as const },
    { label: 'Median', w: 43, align: 'right' as const },
    { label: 'Q1', w: 43, align: 'right' as const },
    { label: 'Q3', w: 43, align: 'right' as const },
    { label: 'IQR', w: 43, align: 'right' as const },
    { label: 'Min', w: 43, align: 'right' as const },
    { label: 'Max', w: 45, align: 'right' as const },
  ];
  const rowH = 15;
  const drawHeader = (yy: number): number => {
    let x = M.left;
    doc.rect(M.left, yy, CONTENT_W, rowH + 2).fill(C.accent);
    for (const c of cols) {
      text(doc, c.label, x + 4, yy + 4, { font: F.bold, size: 9.5, color: '#ffffff', width: c.w - 8, align: c.align });
      x += c.w;
    }
    return yy + rowH + 2;
  };
  const statCells = (label: string, s: CnrStats): string[] => [
    label,
    String(s.count),
    fixed(s.mean, 3),
    fixed(s.median, 3),
    fixed(s.q1, 3),
    fixed(s.q3, 3),
    fixed(s.iqr, 3),
    fixed(s.min, 3),
    fixed(s.max, 3),
  ];
  y = drawHeader(y);
  let shade = false;
  for (const g of summaryGroups(model)) {
    y = ensure(doc, y, rowH);
    if (y === M.top) y = drawHeader(y);
    if (g.kind === 'section') {
      text(doc, g.label, M.left + 4, y + 5, { font: F.bold, size: 9.5, color: C.accent });
      y += rowH + 2;
      shade = false;
      continue;
    }
    if (shade) doc.rect(M.left, y, CONTENT_W, rowH).fill(C.shade);
    shade = !shade;
    let x = M.left;
    const cells = statCells(g.kind === 'all' ? 'All images' : groupLabel(g.kind, g.key), g.stats);
    cells.forEach((s, i) => {
      const c = cols[i];
      const label = i === 0 ? fit(doc, s, c.w - 8 - (g.kind === 'all' ? 0 : 8), F.regular, 9.5) : s;
      text(doc, label, x + 4 + (i === 0 && g.kind !== 'all' ? 8 : 0), y + 3.5, {
        size: 9.5,
        font: g.kind === 'all' ? F.bold : F.regular,
        width: c.w - 8 - (i === 0 && g.kind !== 'all' ? 8 : 0),
        align: c.align,
      });
      x += c.w;
    });
    y += rowH;
  }
  doc.moveTo(M.left, y).lineTo(M.left + CONTENT_W, y).lineWidth(0.6).strokeColor(C.rule).stroke();
  y += 8;
  const note =
    `n counts images whose centred cell has a CNR. ${model.summary.withoutCnr} image(s) have no CNR (see Flagged images). ` +
    'Quartiles by linear interpolation; IQR = Q3 – Q1.';
  doc.font(F.italic).fontSize(9).fillColor(C.muted).text(note, M.left, y, { width: CONTENT_W });
  doc.y = y + doc.heightOfString(note, { width: CONTENT_W }) + 18;
}

function histogramChart(doc: Doc, model: ReportModel): void {
  const h = model.histogram;
  const chartH = 190;
  let y = ensure(doc, doc.y, chartH + 80);
  text(doc, `CNR distribution (n = ${model.totals.imagesWithCnr})`, M.left, y, { font: F.bold, size: 12 });
  y += 22;
  if (h.counts.length === 0) {
    text(doc, 'No image has a CNR, so there is nothing to plot.', M.left, y, { size: 10, color: C.muted });
    doc.y = y + 30;
    return;
  }
  const axisW = 36;
  const x0 = M.left + axisW;
  const w = CONTENT_W - axisW - 8;
  const top = y + 8;
  const base = top + chartH;
  const maxCount = Math.max(...h.counts);
  const tickStep = Math.max(1, niceCountStep(maxCount / 5));
  const yMax = Math.ceil(maxCount / tickStep) * tickStep;
  const sy = (v: number): number => base - (v / yMax) * chartH;
  // Grid and y ticks.
  for (let v = 0; v <= yMax; v += tickStep) {
    doc.moveTo(x0, sy(v)).lineTo(x0 + w, sy(v)).lineWidth(0.4).strokeColor(C.rule).stroke();
    text(doc, String(v), M.left, sy(v) - 4, { size: 9, color: C.muted, width: axisW - 6, align: 'right' });
  }
  const bw = w / h.counts.length;
  h.counts.forEach((n, i) => {
    if (n === 0) return;
    doc.rect(x0 + i * bw + 1, sy(n), bw - 2, base - sy(n)).fill(C.bar);
    if (bw >= 16) text(doc, String(n), x0 + i * bw, sy(n) - 12, { size: 9, width: bw, align: 'center', color: C.text });
  });
  doc.moveTo(x0, base).lineTo(x0 + w, base).lineWidth(0.8).strokeColor(C.text).stroke();
  // X labels: every edge, or every k-th when they would collide.
  doc.font(F.regular).fontSize(9);
  const labelW = Math.max(...h.edges.map((e) => doc.widthOfString(e.toString()))) + 6;
  const every = Math.max(1, Math.ceil(labelW / bw));
  h.edges.forEach((e, i) => {
    const x = x0 + i * bw;
    doc.moveTo(x, base).lineTo(x, base + 3).lineWidth(0.6).strokeColor(C.text).stroke();
    if (i % every === 0) text(doc, e.toString(), x - 25, base + 5, { size: 9, width: 50, align: 'center', color: C.muted });
  });
  // Median marker.
  const med = model.summary.overall.median;
  if (med !== null) {
    const mx = x0 + ((med - h.edges[0]) / (h.edges[h.edges.length - 1] - h.edges[0])) * w;
    doc.save().moveTo(mx, top - 4).lineTo(mx, base).lineWidth(1).dash(3, { space: 2 }).strokeColor(C.flag).stroke().undash().restore();
    text(doc, `median ${fixed(med, 3)}`, mx + 3, top - 6, { size: 9, color: C.flag });
  }
  text(doc, 'CNR = cytoplasm area / nucleus area', x0, base + 20, { size: 9.5, width: w, align: 'center' });
  doc.save();
  doc.rotate(-90, { origin: [M.left - 14, top + chartH / 2] });
  text(doc, 'Images', M.left - 14 - 30, top + chartH / 2 - 4, { size: 9.5, width: 60, align: 'center' });
  doc.restore();
  doc.y = base + 44;
}

function flaggedList(doc: Doc, model: ReportModel): void {
  const flagged = model.images.filter((r) => r.flags.length > 0);
  let y = ensure(doc, doc.y, 90);
  if (y !== M.top) y += 6;
  doc.outline.addItem('Flagged images');
  y = heading(doc, `Flagged images (${flagged.length})`, y);
  if (flagged.length === 0) {
    text(doc, 'No image was flagged: every image has a centred cell with a CNR.', M.left, y, { size: 10, color: C.muted });
    return;
  }
  const cols = [110, 78, CONTENT_W - 188];
  const header = (yy: number): number => {
    doc.rect(M.left, yy, CONTENT_W, 17).fill(C.accent);
    ['Image', 'Flag', 'Reason'].forEach((s, i) => {
      text(doc, s, M.left + 4 + cols.slice(0, i).reduce((a, b) => a + b, 0), yy + 4.5, { font: F.bold, size: 9.5, color: '#ffffff' });
    });
    return yy + 19;
  };
  y = header(y);
  let shade = false;
  for (const r of flagged) {
    doc.font(F.regular).fontSize(9.5);
    const heights = r.flags.map((f) => Math.max(13, doc.heightOfString(f.reason, { width: cols[2] - 8 }) + 3));
    const h = heights.reduce((a, b) => a + b, 0) + 2;
    const before = y;
    y = ensure(doc, y, h);
    if (y !== before) y = header(y);
    if (shade) doc.rect(M.left, y, CONTENT_W, h).fill(C.shade);
    shade = !shade;
    text(doc, fit(doc, r.input.name, cols[0] - 8, F.bold, 9.5), M.left + 4, y + 3, { font: F.bold, size: 9.5 });
    let yy = y + 3;
    r.flags.forEach((f, i) => {
      text(doc, f.code, M.left + cols[0] + 4, yy, { size: 9.5, color: C.flag, font: F.bold });
      doc.font(F.regular).fontSize(9.5).fillColor(C.text).text(f.reason, M.left + cols[0] + cols[1] + 4, yy, { width: cols[2] - 8 });
      yy += heights[i];
    });
    y += h;
  }
}

function imageCards(doc: Doc, model: ReportModel, thumbs: readonly Buffer[]): void {
  const colW = (CONTENT_W - CARD.gapX) / CARD.cols;
  const n = model.images.length;
  for (let start = 0; start < n; start += CARDS_PER_PAGE) {
    doc.addPage();
    if (start === 0) doc.outline.addItem('Images');
    const end = Math.min(n, start + CARDS_PER_PAGE);
    text(doc, `Images ${start + 1}–${end} of ${n}`, M.left, M.top - 4, { font: F.bold, size: 12, color: C.accent });
    legend(doc, M.top - 2);
    const top = M.top + 18;
    for (let k = start; k < end; k++) {
      const slot = k - start;
      const x = M.left + (slot % CARD.cols) * (colW + CARD.gapX);
      const y = top + Math.floor(slot / CARD.cols) * (CARD.h + CARD.gapY);
      card(doc, model.images[k], thumbs[k], x, y, colW);
    }
  }
}

function legend(doc: Doc, y: number): void {
  let x = M.left + CONTENT_W;
  for (const item of [...CARD_LEGEND].reverse()) {
    doc.font(F.regular).fontSize(9);
    const w = doc.widthOfString(item.label);
    x -= w;
    text(doc, item.label, x, y, { size: 9, color: C.muted });
    x -= 14;
    const [r, g, b] = OUTLINE_COLOURS[item.colour];
    doc.rect(x, y + 1, 10, 7).fill([r, g, b]);
    x -= 12;
  }
}

function card(doc: Doc, r: ImageReport, thumb: Buffer | undefined, x: number, y: number, w: number): void {
  const flagged = r.flags.length > 0;
  doc.roundedRect(x, y, w, CARD.h, 4).lineWidth(flagged ? 1.2 : 0.6).strokeColor(flagged ? C.flag : C.rule).stroke();
  const tx = x + CARD.pad;
  const ty = y + (CARD.h - CARD.thumb) / 2;
  doc.rect(tx, ty, CARD.thumb, CARD.thumb).fill('#000000');
  if (thumb) doc.image(thumb, tx, ty, { fit: [CARD.thumb, CARD.thumb], align: 'center', valign: 'center' });
  const lx = tx + CARD.thumb + 8;
  const lw = x + w - CARD.pad - lx;
  let ly = y + 6;
  const i = r.input;
  text(doc, fit(doc, i.name, lw, F.bold, 10), lx, ly, { font: F.bold, size: 10 });
  ly += 12.5;
  const sub = [difficultyLabel(i.difficulty), i.typeTag, i.split].filter(Boolean).join(' · ');
  text(doc, fit(doc, sub, lw, F.regular, 9), lx, ly, { size: 9, color: C.muted });
  ly += 13;
  const c = r.centred;
  if (r.cnr !== null && c) {
    text(doc, `CNR ${fixed(r.cnr, 3)}`, lx, ly, { font: F.bold, size: 10.5, color: C.accent });
    text(doc, `N:C ${fixed(c.ncRatio, 3)}`, lx, ly + 0.8, { size: 9.5, width: lw, align: 'right' });
  } else {
    text(doc, 'CNR –', lx, ly, { font: F.bold, size: 10.5, color: C.flag });
    text(doc, fit(doc, r.flags.map((f) => f.code).join(', '), lw - 50, F.bold, 9), lx + 50, ly + 1.2, { size: 9, color: C.flag, font: F.bold });
  }
  ly += 14;
  // Areas as a small table: label, px, µm².
  const c1 = 46;
  const c2 = (lw - c1) * 0.45;
  const c3 = lw - c1 - c2;
  text(doc, 'px', lx + c1, ly, { size: 9, color: C.muted, width: c2, align: 'right' });
  text(doc, 'µm²', lx + c1 + c2, ly, { size: 9, color: C.muted, width: c3, align: 'right' });
  ly += 11;
  const areas: [string, number | undefined, number | undefined][] = [
    ['Nucleus', c?.nucleusPx, c?.nucleusUm2],
    ['Cytoplasm', c?.cytoplasmPx, c?.cytoplasmUm2],
    ['Cell', c?.cellPx, c?.cellUm2],
  ];
  for (const [label, px, um2] of areas) {
    text(doc, label, lx, ly, { size: 9 });
    text(doc, px === undefined ? '–' : int(px), lx + c1, ly, { size: 9, width: c2, align: 'right' });
    text(doc, um2 === undefined ? '–' : fixed(um2, 1), lx + c1 + c2, ly, { size: 9, width: c3, align: 'right' });
    ly += 11;
  }
  ly += 1;
  text(doc, c ? `Lobes ${c.lobes} · circularity ${fixed(c.circularity, 2)}` : 'No white blood cell', lx, ly, { size: 9, color: c ? C.text : C.flag });
  ly += 11.5;
  const extras: string[] = [];
  const otherCells = r.others.filter((o) => !o.flags.some((f) => f.code === 'fragment')).length;
  const fragments = r.others.length - otherCells;
  if (otherCells) extras.push(`+${otherCells} other cell${otherCells > 1 ? 's' : ''}`);
  if (fragments) extras.push(`${fragments} fragment${fragments > 1 ? 's' : ''}`);
  if (extras.length) text(doc, fit(doc, extras.join(', '), lw, F.regular, 9), lx, ly, { size: 9, color: C.muted });
}

function footers(doc: Doc, model: ReportModel): void {
  const range = doc.bufferedPageRange();
  const label = `${reportTitle} · ${model.meta.projectName} · ${dateTime(model.meta.createdAt)}`;
  for (let p = range.start; p < range.start + range.count; p++) {
    doc.switchToPage(p);
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the bottom margin must not add a page
    const y = PAGE_H - 36;
    doc.moveTo(M.left, y - 6).lineTo(M.left + CONTENT_W, y - 6).lineWidth(0.4).strokeColor(C.rule).stroke();
    text(doc, fit(doc, label, CONTENT_W - 90, F.regular, 9), M.left, y, { size: 9, color: C.muted });
    text(doc, `Page ${p + 1} of ${range.count}`, M.left + CONTENT_W - 90, y, { size: 9, color: C.muted, width: 90, align: 'right' });
    doc.page.margins.bottom = saved;
  }
}
