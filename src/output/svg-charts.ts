import { htmlText } from './html-text.js';

/** One part of a chart: a label, its figure and the colour it is drawn in. */
export interface ChartPart {
  label: string;
  value: number;
  color: string;
}

/**
 * Inline SVG charts for the evidence report. Presentation attributes only (no style attribute,
 * no script): the page's Content-Security-Policy allows no inline style but its one style sheet.
 * Every part also carries a <title> and a legend line with its figure: the chart is never the
 * only place a number is shown.
 */

const round = (n: number): string => String(Math.round(n * 100) / 100);

/** "42.1%", "<0.1%" for a share too small to show, never "0.0%" for a part that is there. */
export function percent(value: number, total: number): string {
  if (total <= 0) return '0%';
  const p = (value / total) * 100;
  if (value > 0 && p < 0.1) return '<0.1%';
  if (value < total && p > 99.9) return '>99.9%';
  return `${p.toFixed(1).replace(/\.0$/, '')}%`;
}

/** A ring whose arcs are the parts' shares of the total, with a legend to its right. */
export function donutChart(opts: {
  id: string;
  title: string;
  parts: ChartPart[];
  format: (n: number) => string;
  /** Shown in the middle: the total, formatted. */
  centre: string;
  /** Shown instead of a ring when the total is 0. */
  empty: string;
}): string {
  const parts = opts.parts.filter((p) => p.value > 0);
  const total = parts.reduce((a, p) => a + p.value, 0);
  const cx = 90;
  const cy = 90;
  const r = 62;
  const c = 2 * Math.PI * r;
  const legendRow = 22;
  const height = Math.max(180, 20 + parts.length * legendRow);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" id="${opts.id}" class="chart" role="img" aria-labelledby="${opts.id}-title" viewBox="0 0 520 ${height}" width="520" height="${height}">`,
    `<title id="${opts.id}-title">${htmlText(opts.title)}</title>`,
  );
  if (total === 0) {
    out.push(
      `<circle cx="${cx}" cy="${cy}" r="${r}" fill="none" stroke="#d0d4da" stroke-width="28"/>`,
      `<text x="${cx}" y="${cy + 4}" text-anchor="middle" font-size="12" fill="#444">${htmlText(opts.empty)}</text>`,
    );
  } else {
    let offset = 0;
    for (const p of parts) {
      const len = (p.value / total) * c;
      out.push(
        `<circle class="part" cx="${cx}" cy="${cy}" r="${r}" fill="none" stroke="${p.color}" stroke-width="28" stroke-dasharray="${round(len)} ${round(c - len)}" stroke-dashoffset="${round(-offset)}" transform="rotate(-90 ${cx} ${cy})"><title>${htmlText(`${p.label}: ${percent(p.value, total)} (${opts.format(p.value)})`)}</title></circle>`,
      );
      offset += len;
    }
    out.push(
      `<text x="${cx}" y="${cy + 5}" text-anchor="middle" font-size="14" font-weight="bold" fill="#222">${htmlText(opts.centre)}</text>`,
    );
  }
  parts.forEach((p, i) => {
    const y = 20 + i * legendRow;
    out.push(
      `<rect x="190" y="${y - 11}" width="14" height="14" fill="${p.color}"/>`,
      `<text x="212" y="${y}" font-size="13" fill="#222">${htmlText(`${p.label}: ${percent(p.value, total)} (${opts.format(p.value)})`)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}

/** Horizontal bars, one per part, their lengths in proportion to the largest. */
export function barChart(opts: {
  id: string;
  title: string;
  parts: ChartPart[];
  format: (n: number) => string;
}): string {
  const max = Math.max(0, ...opts.parts.map((p) => p.value));
  const row = 30;
  const labelWidth = 120;
  const barSpace = 300;
  const height = 10 + opts.parts.length * row;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" id="${opts.id}" class="chart" role="img" aria-labelledby="${opts.id}-title" viewBox="0 0 520 ${height}" width="520" height="${height}">`,
    `<title id="${opts.id}-title">${htmlText(opts.title)}</title>`,
  ];
  opts.parts.forEach((p, i) => {
    const y = 8 + i * row;
    // A part that is there is never drawn as nothing.
    const w = max === 0 ? 0 : Math.max(p.value > 0 ? 2 : 0, (p.value / max) * barSpace);
    out.push(
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end" font-size="13" fill="#222">${htmlText(p.label)}</text>`,
      `<rect class="bar" x="${labelWidth}" y="${y}" width="${round(w)}" height="20" fill="${p.color}"><title>${htmlText(`${p.label}: ${opts.format(p.value)}`)}</title></rect>`,
      `<text x="${round(labelWidth + w + 6)}" y="${y + 15}" font-size="13" fill="#222">${htmlText(opts.format(p.value))}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}
