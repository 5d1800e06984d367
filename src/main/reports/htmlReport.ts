// HTML export: one self-contained file (inline CSS, inline SVG histogram, thumbnails as PNG
// data: URIs), same content as the PDF, printable on A4.
import { niceCountStep } from './histogram';
import { dateTime, difficultyLabel, fixed, groupLabel, int } from './format';
import type { ImageReport, ReportModel } from './model';
import { CARD_LEGEND, methodNotes, reportTitle, summaryGroups } from './reportText';
import { OUTLINE_COLOURS } from './thumbnail';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const rgb = (c: readonly number[]): string => `rgb(${c[0]},${c[1]},${c[2]})`;

const CSS = `
:root{--text:#1d2733;--muted:#5b6773;--rule:#c9d1d9;--shade:#f1f4f7;--accent:#0b6e6e;--bar:#2a9d8f;--flag:#b3261e}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1120px;padding:24px 28px;color:var(--text);font:14px/1.45 "Helvetica Neue",Helvetica,Arial,sans-serif}
h1{font-size:28px;margin:4px 0 2px}
h2{font-size:20px;color:var(--accent);border-bottom:1.5px solid var(--accent);padding-bottom:4px;margin:32px 0 12px}
h3{font-size:16px;margin:22px 0 8px}
.brand{color:var(--accent);font-weight:bold;font-size:14px;letter-spacing:.02em}
.project{color:var(--muted);font-size:19px;margin-bottom:18px}
.band{height:8px;background:var(--accent);margin:-24px -28px 28px}
table{border-collapse:collapse;width:100%}
.kv td{padding:5px 8px;border-bottom:1px solid var(--rule);vertical-align:top}
.kv td:first-child{color:var(--muted);width:190px}
.method li{margin:4px 0;font-size:13px}
.stats th{background:var(--accent);color:#fff;text-align:right;padding:5px 8px;font-size:13px}
.stats th:first-child,.stats td:first-child{text-align:left}
.stats td{text-align:right;padding:4px 8px;font-size:13px;font-variant-numeric:tabular-nums}
.stats tr.row:nth-child(even) td{background:var(--shade)}
.stats tr.all td{font-weight:bold}
.stats tr.section td{color:var(--accent);font-weight:bold;padding-top:9px}
.stats td.sub{padding-left:22px}
.note{color:var(--muted);font-style:italic;font-size:12.5px;margin-top:6px}
.hist{width:100%;max-width:760px;height:auto;display:block;margin:6px 0}
.flags th{background:var(--accent);color:#fff;text-align:left;padding:5px 8px;font-size:13px}
.flags td{padding:4px 8px;border-bottom:1px solid var(--rule);font-size:13px;vertical-align:top}
.flags td.code{color:var(--flag);font-weight:bold;white-space:nowrap}
.flags tr{break-inside:avoid;page-break-inside:avoid}
.legend{font-size:12.5px;color:var(--muted);margin-bottom:10px}
.legend i{display:inline-block;width:14px;height:9px;margin:0 5px 0 14px;vertical-align:baseline}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:10px}
.card{display:flex;gap:10px;border:1px solid var(--rule);border-radius:5px;padding:8px;break-inside:avoid;page-break-inside:avoid}
.card.flagged{border:1.5px solid var(--flag)}
.card img{width:120px;height:120px;object-fit:contain;background:#000;flex:none;image-rendering:auto}
.card .name{font-weight:bold;font-size:14px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.card .sub{color:var(--muted);font-size:12px}
.card .cnr{font-weight:bold;color:var(--accent);font-size:15px;margin:3px 0 2px}
.card .cnr.none{color:var(--flag)}
.card .cnr span{font-weight:normal;color:var(--text);font-size:13px;margin-left:10px}
.card .codes,.card .cnr span.codes{color:var(--flag);font-weight:bold;font-size:12px}
.card table td{font-size:12px;padding:0 4px 0 0;font-variant-numeric:tabular-nums}
.card table td.n{text-align:right}
.card table tr.h td{color:var(--muted)}
.card .more{color:var(--muted);font-size:12px}
.info{flex:1;min-width:0}
footer{margin-top:28px;color:var(--muted);font-size:12px;border-top:1px solid var(--rule);padding-top:6px}
@page{size:A4;margin:15mm 14mm}
@media print{
  body{max-width:none;padding:0;font-size:10pt}
  .band{margin:0 0 20px}
  .titlepage{break-after:page;page-break-after:always}
  h2{break-after:avoid;page-break-after:avoid}
  .cards{grid-template-columns:1fr 1fr}
  .stats th,.flags th,.band,.legend i,.card img{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  .stats tr.row:nth-child(even) td{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
`;

export function renderHtml(model: ReportModel, thumbnails: readonly Buffer[]): string {
  const m = model.meta;
  const o = model.summary.overall;
  const kv: [string, string][] = [
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
  const flagged = model.images.filter((r) => r.flags.length > 0);
  const parts: string[] = [];
  parts.push(
    `<!doctype html><html lang="en"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<title>${esc(`${reportTitle} – ${m.projectName}`)}</title><style>${CSS}</style></head><body>`,
    `<section class="titlepage"><div class="band"></div>`,
    `<div class="brand">HemaSeg · white blood cell segmentation</div><h1>${esc(reportTitle)}</h1>`,
    `<div class="project">${esc(m.projectName)}</div>`,
    `<table class="kv">${kv.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</table>`,
    `<h3>How the numbers were computed</h3><ul class="method">${methodNotes(model).map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`,
    `</section>`,
  );
  parts.push(`<section><h2>Summary of the CNR (centred cells)</h2><table class="stats"><thead><tr>`);
  parts.push(['Group', 'n', 'Mean', 'Median', 'Q1', 'Q3', 'IQR', 'Min', 'Max'].map((h) => `<th>${h}</th>`).join(''));
  parts.push(`</tr></thead><tbody>`);
  for (const g of summaryGroups(model)) {
    if (g.kind === 'section') {
      parts.push(`<tr class="section"><td colspan="9">${esc(g.label)}</td></tr>`);
      continue;
    }
    const s = g.stats;
    const label = g.kind === 'all' ? 'All images' : groupLabel(g.kind, g.key);
    const nums = [s.mean, s.median, s.q1, s.q3, s.iqr, s.min, s.max].map((v) => `<td>${fixed(v, 3)}</td>`).join('');
    parts.push(`<tr class="row${g.kind === 'all' ? ' all' : ''}"><td${g.kind === 'all' ? '' : ' class="sub"'}>${esc(label)}</td><td>${s.count}</td>${nums}</tr>`);
  }
  parts.push(`</tbody></table>`);
  parts.push(
    `<p class="note">n counts images whose centred cell has a CNR. ${model.summary.withoutCnr} image(s) have no CNR (see Flagged images). Quartiles by linear interpolation; IQR = Q3 – Q1.</p>`,
  );
  parts.push(`<h3>CNR distribution (n = ${model.totals.imagesWithCnr})</h3>${histogramSvg(model)}</section>`);

  parts.push(`<section><h2>Flagged images (${flagged.length})</h2>`);
  if (flagged.length === 0) {
    parts.push(`<p class="note">No image was flagged: every image has a centred cell with a CNR.</p>`);
  } else {
    parts.push(`<table class="flags"><thead><tr><th>Image</th><th>Flag</th><th>Reason</th></tr></thead><tbody>`);
    for (const r of flagged) {
      r.flags.forEach((f, i) => {
        const name = i === 0 ? `<td rowspan="${r.flags.length}"><b>${esc(r.input.name)}</b></td>` : '';
        parts.push(`<tr>${name}<td class="code">${esc(f.code)}</td><td>${esc(f.reason)}</td></tr>`);
      });
    }
    parts.push(`</tbody></table>`);
  }
  parts.push(`</section>`);

  parts.push(`<section><h2>Images (${model.images.length})</h2><div class="legend">Outlines:`);
  for (const l of CARD_LEGEND) parts.push(`<i style="background:${rgb(OUTLINE_COLOURS[l.colour])}"></i>${esc(l.label)}`);
  parts.push(`</div><div class="cards">`);
  model.images.forEach((r, k) => parts.push(card(r, thumbnails[k])));
  parts.push(`</div></section>`);
  parts.push(`<footer>${esc(`${reportTitle} · ${m.projectName} · ${dateTime(m.createdAt)} · generated by HemaSeg`)}</footer></body></html>\n`);
  return parts.join('\n');
}

function card(r: ImageReport, thumb: Buffer | undefined): string {
  const i = r.input;
  const c = r.centred;
  const sub = [difficultyLabel(i.difficulty), i.typeTag, i.split].filter(Boolean).join(' · ');
  const img = thumb ? `<img alt="${esc(i.name)} with mask outline" src="data:image/png;base64,${thumb.toString('base64')}">` : '<img alt="">';
  const cnr =
    r.cnr !== null && c
      ? `<div class="cnr">CNR ${fixed(r.cnr, 3)}<span>N:C ${fixed(c.ncRatio, 3)}</span></div>`
      : `<div class="cnr none">CNR – <span class="codes">${esc(r.flags.map((f) => f.code).join(', '))}</span></div>`;
  const row = (label: string, px: number | undefined, um2: number | undefined): string =>
    `<tr><td>${label}</td><td class="n">${px === undefined ? '–' : int(px)}</td><td class="n">${um2 === undefined ? '–' : fixed(um2, 1)}</td></tr>`;
  const otherCells = r.others.filter((o) => !o.flags.some((f) => f.code === 'fragment')).length;
  const fragments = r.others.length - otherCells;
  const extras = [
    otherCells ? `+${otherCells} other cell${otherCells > 1 ? 's' : ''}` : '',
    fragments ? `${fragments} fragment${fragments > 1 ? 's' : ''}` : '',
  ].filter(Boolean);
  return [
    `<div class="card${r.flags.length ? ' flagged' : ''}">${img}<div class="info">`,
    `<div class="name" title="${esc(i.name)}">${esc(i.name)}</div><div class="sub">${esc(sub)}</div>${cnr}`,
    `<table><tr class="h"><td></td><td class="n">px</td><td class="n">µm²</td></tr>`,
    row('Nucleus', c?.nucleusPx, c?.nucleusUm2),
    row('Cytoplasm', c?.cytoplasmPx, c?.cytoplasmUm2),
    row('Cell', c?.cellPx, c?.cellUm2),
    `</table>`,
    c ? `<div class="sub">Lobes ${c.lobes} · circularity ${fixed(c.circularity, 2)}</div>` : `<div class="codes">No white blood cell</div>`,
    extras.length ? `<div class="more">${esc(extras.join(', '))}</div>` : '',
    `</div></div>`,
  ].join('');
}

function histogramSvg(model: ReportModel): string {
  const h = model.histogram;
  if (h.counts.length === 0) return `<p class="note">No image has a CNR, so there is nothing to plot.</p>`;
  const W = 760;
  const H = 300;
  const L = 52;
  const R = 12;
  const T = 22;
  const B = 50;
  const w = W - L - R;
  const ch = H - T - B;
  const maxCount = Math.max(...h.counts);
  const tick = niceCountStep(maxCount / 5);
  const yMax = Math.ceil(maxCount / tick) * tick;
  const sy = (v: number): number => T + ch - (v / yMax) * ch;
  const bw = w / h.counts.length;
  const out: string[] = [
    `<svg class="hist" viewBox="0 0 ${W} ${H}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Histogram of CNR values" font-family="Helvetica,Arial,sans-serif" font-size="12">`,
  ];
  for (let v = 0; v <= yMax; v += tick) {
    out.push(`<line x1="${L}" x2="${L + w}" y1="${sy(v)}" y2="${sy(v)}" stroke="#c9d1d9" stroke-width="0.7"/>`);
    out.push(`<text x="${L - 6}" y="${sy(v) + 4}" text-anchor="end" fill="#5b6773">${v}</text>`);
  }
  h.counts.forEach((n, i) => {
    if (n === 0) return;
    const x = L + i * bw;
    out.push(`<rect x="${(x + 1).toFixed(1)}" y="${sy(n).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${(T + ch - sy(n)).toFixed(1)}" fill="#2a9d8f"><title>${h.edges[i]}–${h.edges[i + 1]}: ${n}</title></rect>`);
    if (bw >= 18) out.push(`<text x="${(x + bw / 2).toFixed(1)}" y="${(sy(n) - 4).toFixed(1)}" text-anchor="middle" fill="#1d2733">${n}</text>`);
  });
  out.push(`<line x1="${L}" x2="${L + w}" y1="${T + ch}" y2="${T + ch}" stroke="#1d2733" stroke-width="1"/>`);
  const every = Math.max(1, Math.ceil(40 / bw));
  h.edges.forEach((e, i) => {
    const x = L + i * bw;
    out.push(`<line x1="${x}" x2="${x}" y1="${T + ch}" y2="${T + ch + 4}" stroke="#1d2733"/>`);
    if (i % every === 0) out.push(`<text x="${x.toFixed(1)}" y="${T + ch + 17}" text-anchor="middle" fill="#5b6773">${e}</text>`);
  });
  const med = model.summary.overall.median;
  if (med !== null) {
    const mx = L + ((med - h.edges[0]) / (h.edges[h.edges.length - 1] - h.edges[0])) * w;
    out.push(`<line x1="${mx.toFixed(1)}" x2="${mx.toFixed(1)}" y1="${T - 6}" y2="${T + ch}" stroke="#b3261e" stroke-width="1.3" stroke-dasharray="4 3"/>`);
    out.push(`<text x="${(mx + 4).toFixed(1)}" y="${T - 8}" fill="#b3261e">median ${fixed(med, 3)}</text>`);
  }
  out.push(`<text x="${L + w / 2}" y="${H - 8}" text-anchor="middle">CNR = cytoplasm area / nucleus area</text>`);
  out.push(`<text transform="translate(14 ${T + ch / 2}) rotate(-90)" text-anchor="middle">Images</text>`);
  out.push(`</svg>`);
  return out.join('');
}
