// SVG charts drawn by hand for the bench: overlaid histograms and line charts, no library.
'use strict';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
const WIDTH = 760;
const HEIGHT = 380;
const MARGIN = { top: 40, right: 20, bottom: 50, left: 64 };

const escapeXml = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (value) => (Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2));

/** About `count` round tick values covering [min, max]. */
function ticks(min, max, count = 6) {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const out = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function frame({ title, xLabel, yLabel, xMin, xMax, yMin, yMax }) {
  const w = WIDTH - MARGIN.left - MARGIN.right;
  const h = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (v) => MARGIN.left + ((v - xMin) / (xMax - xMin || 1)) * w;
  const y = (v) => MARGIN.top + h - ((v - yMin) / (yMax - yMin || 1)) * h;
  const parts = [
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  for (const t of ticks(yMin, yMax)) {
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + w}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="11">${fmt(t)}</text>`);
  }
  for (const t of ticks(xMin, xMax, 8)) {
    parts.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${MARGIN.top + h}" y2="${MARGIN.top + h + 4}" stroke="#333"/>`);
    parts.push(`<text x="${x(t)}" y="${MARGIN.top + h + 17}" text-anchor="middle" font-size="11">${fmt(t)}</text>`);
  }
  parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + w}" y1="${MARGIN.top + h}" y2="${MARGIN.top + h}" stroke="#333"/>`);
  parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + h}" stroke="#333"/>`);
  parts.push(`<text x="${MARGIN.left + w / 2}" y="${HEIGHT - 10}" text-anchor="middle" font-size="12">${escapeXml(xLabel)}</text>`);
  parts.push(
    `<text transform="translate(16 ${MARGIN.top + h / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(yLabel)}</text>`,
  );
  return { parts, x, y, w, h };
}

function legend(parts, names) {
  names.forEach((name, i) => {
    const top = MARGIN.top + 6 + i * 17;
    const left = WIDTH - MARGIN.right - 250;
    parts.push(`<rect x="${left}" y="${top}" width="12" height="12" fill="${COLORS[i % COLORS.length]}" fill-opacity="0.6"/>`);
    parts.push(`<text x="${left + 18}" y="${top + 10}" font-size="11">${escapeXml(name)}</text>`);
  });
}

const wrap = (parts) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">\n${parts.join('\n')}\n</svg>\n`;

/**
 * Overlaid histograms (as step outlines with a light fill), one per series, over the same bins, between the
 * `clip` quantiles of all values together (the far tail is counted in the last bin).
 * @param {{ title: string, xLabel: string, series: Array<{ name: string, values: number[] }>, bins?: number, clip?: number }} options
 */
function histogram({ title, xLabel, series, bins = 40, clip = 0.99 }) {
  const all = series.flatMap((s) => s.values).sort((a, b) => a - b);
  const xMin = all[0];
  const xMax = all[Math.min(all.length - 1, Math.floor(all.length * clip))];
  const width = (xMax - xMin) / bins || 1;
  const shares = series.map((s) => {
    const counts = new Array(bins).fill(0);
    for (const v of s.values) counts[Math.max(0, Math.min(bins - 1, Math.floor((v - xMin) / width)))]++;
    return counts.map((c) => (100 * c) / s.values.length);
  });
  const yMax = Math.max(...shares.flat()) * 1.1;
  const { parts, x, y } = frame({ title, xLabel, yLabel: '% of requests', xMin, xMax: xMin + bins * width, yMin: 0, yMax });
  shares.forEach((counts, i) => {
    const color = COLORS[i % COLORS.length];
    let d = `M ${x(xMin)} ${y(0)}`;
    counts.forEach((c, b) => {
      d += ` L ${x(xMin + b * width)} ${y(c)} L ${x(xMin + (b + 1) * width)} ${y(c)}`;
    });
    d += ` L ${x(xMin + bins * width)} ${y(0)} Z`;
    parts.push(`<path d="${d}" fill="${color}" fill-opacity="0.18" stroke="${color}" stroke-width="1.5"/>`);
  });
  legend(
    parts,
    series.map((s) => `${s.name} (n=${s.values.length})`),
  );
  return wrap(parts);
}

/**
 * Line chart of one or more series of [x, y] points.
 * @param {{ title: string, xLabel: string, yLabel: string, series: Array<{ name: string, points: Array<[number, number]> }>, yFromZero?: boolean }} options
 */
function lineChart({ title, xLabel, yLabel, series, yFromZero = true }) {
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const yMin = yFromZero ? 0 : Math.min(...ys);
  const yMax = Math.max(...ys) * 1.08 || 1;
  const { parts, x, y } = frame({ title, xLabel, yLabel, xMin: Math.min(...xs), xMax: Math.max(...xs), yMin, yMax });
  series.forEach((s, i) => {
    const d = s.points.map(([px, py], k) => `${k ? 'L' : 'M'} ${x(px).toFixed(1)} ${y(py).toFixed(1)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2"/>`);
  });
  legend(
    parts,
    series.map((s) => s.name),
  );
  return wrap(parts);
}

module.exports = { histogram, lineChart, ticks };
