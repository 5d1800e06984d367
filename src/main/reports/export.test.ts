import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL } from '../../shared/domain';
import { CSV_COLUMNS } from './csvReport';
import { buildReportModel } from './model';
import { blank, cell, count, imageFor } from './testMasks';
import type { ReportImageInput, ReportInput } from './types';
import { reportFormatOf, writeReport } from './writeReport';

/** Minimal RFC 4180 parser (quoted fields, doubled quotes, CRLF or LF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

function image(k: number, build: (m: ReturnType<typeof blank>) => void, extra: Partial<ReportImageInput> = {}): ReportImageInput {
  const mask = blank(80, 80);
  build(mask);
  return {
    name: `img-${String(k).padStart(3, '0')}.png`,
    hash: `hash${k}`,
    difficulty: ([1, 1, 2, 4, 3, 6, 7] as const)[k % 7],
    typeTag: k % 2 ? 'neutrophil' : 'lymphocyte',
    split: 'test',
    image: imageFor(mask),
    mask,
    maskKind: 'ground-truth',
    maskSource: 'imported',
    modelVersion: null,
    maskVersionTime: '2025-05-01T09:30:00Z',
    ...extra,
  };
}

/** 14 images: 11 ordinary cells of varying size, one partial, one without cell, one with two cells. */
function makeInput(): ReportInput {
  const images: ReportImageInput[] = [];
  for (let k = 0; k < 11; k++) images.push(image(k, (m) => cell(m, 40, 40, 18 + (k % 5), 7 + (k % 4))));
  images.push(image(11, (m) => cell(m, 6, 40, 14, 6))); // touches the border
  images.push(image(12, () => undefined)); // no WBC
  images.push(
    image(13, (m) => {
      cell(m, 40, 40, 14, 6);
      cell(m, 70, 10, 8, 3);
    }),
  );
  return {
    projectName: 'Synthetic smear',
    projectPath: '/tmp/synthetic',
    createdAt: '2025-05-02T12:00:00Z',
    maskSource: 'ground-truth',
    calibration: 10.2,
    backend: 'cpu',
    modelVersion: null,
    images,
  };
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hemaseg-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('report model', () => {
  it('takes the image CNR from the centred cell and collects flags', () => {
    const model = buildReportModel(makeInput());
    expect(model.totals).toEqual({ images: 14, cells: 14, imagesWithCnr: 12, flaggedImages: 2 });
    expect(model.images[11].flags.map((f) => f.code)).toEqual(['partial']);
    expect(model.images[12].flags.map((f) => f.code)).toEqual(['no-wbc']);
    const first = model.images[0];
    expect(first.cnr).toBe(count(first.input.mask, LABEL.cytoplasm) / count(first.input.mask, LABEL.nucleus));
    expect(model.summary.overall.count).toBe(12);
  });

  it('flags predictions when corrected masks only are requested', () => {
    const input = makeInput();
    input.correctedOnly = true;
    input.images[0] = { ...input.images[0], maskKind: 'prediction', maskSource: 'unet@3', modelVersion: 'unet@3' };
    const model = buildReportModel(input);
    expect(model.images[0].cnr).toBeNull();
    expect(model.images[0].flags.map((f) => f.code)).toEqual(['prediction-only']);
    expect(model.images[1].cnr).not.toBeNull();
  });
});

describe('writeReport', () => {
  it('writes a CSV with one row per cell (plus one per image without cell) and exact CNRs', async () => {
    const input = makeInput();
    const res = await writeReport(input, join(dir, 'r.csv'));
    const rows = parseCsv(await readFile(join(dir, 'r.csv'), 'utf8'));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const body = rows.slice(1);
    expect(body).toHaveLength(15); // 11 + 1 partial + 1 empty image row + 2 cells
    expect(res).toMatchObject({ format: 'csv', images: 14, cells: 14 });
    const col = (name: string): number => CSV_COLUMNS.indexOf(name as (typeof CSV_COLUMNS)[number]);
    const first = body[0];
    const m = input.images[0].mask;
    expect(first[col('image')]).toBe('img-000.png');
    expect(first[col('centred')]).toBe('yes');
    expect(Number(first[col('cnr')])).toBe(count(m, LABEL.cytoplasm) / count(m, LABEL.nucleus));
    expect(Number(first[col('nucleus_px')])).toBe(count(m, LABEL.nucleus));
    const partial = body.find((r) => r[col('image')] === 'img-011.png');
    expect(partial?.[col('flags')]).toBe('partial');
    expect(partial?.[col('cnr')]).toBe('');
    expect(partial?.[col('flag_reasons')]).toMatch(/border/);
    const empty = body.find((r) => r[col('image')] === 'img-012.png');
    expect(empty?.[col('cell_id')]).toBe('');
    expect(empty?.[col('image_flags')]).toBe('no-wbc');
    const two = body.filter((r) => r[col('image')] === 'img-013.png');
    expect(two.map((r) => r[col('centred')]).sort()).toEqual(['no', 'yes']);
    expect(body.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
  });

  it('writes an A4 PDF with the expected pages: title, summary, 2 pages of image cards', async () => {
    const res = await writeReport(makeInput(), join(dir, 'r.pdf'));
    const pdf = await readFile(join(dir, 'r.pdf'));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-8).toString('latin1')).toContain('%%EOF');
    const pages = pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? [];
    expect(pages).toHaveLength(4);
    expect(res.pages).toBe(4);
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    expect(pdf.toString('latin1').match(/\/Subtype \/Image/g)?.length).toBeGreaterThanOrEqual(14);
  });

  it('writes a self-contained HTML file with inline thumbnails and an SVG histogram', async () => {
    await writeReport(makeInput(), join(dir, 'r.html'));
    const html = await readFile(join(dir, 'r.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/src="data:image\/png;base64,/g)).toHaveLength(14);
    expect(html).toContain('<svg class="hist"');
    expect(html).toContain('Flagged images (2)');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    // The thumbnails decode as PNG.
    const b64 = /data:image\/png;base64,([^"]+)/.exec(html)?.[1] ?? '';
    expect(Buffer.from(b64, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('refuses unknown extensions with a clear error and writes nothing', async () => {
    expect(reportFormatOf('x/Report.HTM')).toBe('html');
    await expect(writeReport(makeInput(), join(dir, 'sub', 'r.txt'))).rejects.toThrow(/must end in \.csv, \.pdf or \.html \(got "\.txt"\)/);
    await expect(writeReport(makeInput(), join(dir, 'noext'))).rejects.toThrow(/no extension/);
    expect(await readdir(dir)).not.toContain('sub');
  });

  it('leaves neither a partial file nor a temp file when rendering fails, and keeps an older report', async () => {
    const out = join(dir, 'keep.pdf');
    await writeFile(out, 'previous report');
    const input = makeInput();
    input.images[3] = { ...input.images[3], mask: { width: 80, height: 80, labels: new Uint8Array(10) } };
    await expect(writeReport(input, out)).rejects.toThrow(/expected 6400/);
    expect(await readFile(out, 'utf8')).toBe('previous report');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
