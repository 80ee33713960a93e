// Small SVG charts drawn on the server side, so the HTML report needs no script or network to show
// them: a horizontal bar chart and a burn-down line chart.

export function esc(s: string | number): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface Bar {
  label: string;
  value: number;
  /** Secondary value drawn inside the bar (e.g. fixable). */
  part?: number;
  color: string;
}

/** What a bar chart's two parts mean, shown under it. */
export interface Legend {
  whole: string;
  part: string;
}

export function barChart(title: string, bars: Bar[], id: string, legend?: Legend): string {
  if (bars.length === 0) return `<figure class="chart" id="${esc(id)}"><figcaption>${esc(title)}</figcaption><p class="empty">Nothing to show.</p></figure>`;
  const labelW = Math.min(220, 12 + 8 * Math.max(...bars.map((b) => b.label.length)));
  const width = 640;
  const barH = 22;
  const gap = 8;
  const plotW = width - labelW - 60;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * (barH + gap) + gap;
  const rows = bars.map((b, i) => {
    const y = gap + i * (barH + gap);
    const w = Math.round((b.value / max) * plotW);
    const pw = b.part !== undefined ? Math.round((b.part / max) * plotW) : 0;
    return (
      `<g class="bar" data-label="${esc(b.label)}" data-value="${b.value}">` +
      `<text x="${labelW - 8}" y="${y + barH / 2 + 4}" text-anchor="end">${esc(b.label)}</text>` +
      `<rect x="${labelW}" y="${y}" width="${Math.max(w, b.value > 0 ? 2 : 0)}" height="${barH}" fill="${b.color}" rx="3"><title>${esc(b.label)}: ${b.value}${b.part !== undefined ? ` (${b.part} fixable now)` : ''}</title></rect>` +
      (pw > 0 ? `<rect class="part" x="${labelW}" y="${y + barH - 5}" width="${pw}" height="5" fill="#00000066"/>` : '') +
      `<text x="${labelW + w + 6}" y="${y + barH / 2 + 4}" class="value">${b.value}</text></g>`
    );
  });
  const key = legend
    ? `<div class="legend"><span><span class="swatch whole"></span>${esc(legend.whole)}</span><span><span class="swatch part"></span>${esc(legend.part)}</span></div>`
    : '';
  return (
    `<figure class="chart" id="${esc(id)}"><figcaption>${esc(title)}</figcaption>` +
    `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">${rows.join('')}</svg>${key}</figure>`
  );
}

export interface Point {
  label: string;
  value: number;
  /** YYYY-MM-DD and a short commit id, for the x axis's ticks. */
  date?: string;
  commit?: string;
}

/** Up to `n` indices of `count` points, evenly spread, the first and the last included. */
function tickIndices(count: number, n: number): number[] {
  if (count <= n) return Array.from({ length: count }, (_, i) => i);
  const out = new Set<number>();
  for (let k = 0; k < n; k++) out.add(Math.round((k * (count - 1)) / (n - 1)));
  return [...out];
}

/** A line chart of violations over commits, oldest first, with axis titles and dated ticks. */
export function burnDown(title: string, points: Point[], id: string): string {
  if (points.length === 0) {
    return `<figure class="chart" id="${esc(id)}"><figcaption>${esc(title)}</figcaption><p class="empty">No history yet: run <code>canon history</code> in a git repository.</p></figure>`;
  }
  const width = 960;
  const height = 300;
  const left = 64;
  const right = 24;
  const top = 12;
  const bottom = 64;
  const plotW = width - left - right;
  const plotH = height - bottom - top;
  const max = Math.max(1, ...points.map((p) => p.value));
  const x = (i: number): number => left + (points.length === 1 ? plotW / 2 : (i / (points.length - 1)) * plotW);
  const y = (v: number): number => top + plotH - (v / max) * plotH;
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const dots = points
    .map((p, i) => `<circle class="point" cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3" data-value="${p.value}"><title>${esc(p.label)}: ${p.value}</title></circle>`)
    .join('');
  const yTicks = [...new Set([0, Math.round(max / 2), max])]
    .map((v) => `<text class="tick-y" x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text><line x1="${left}" x2="${width - right}" y1="${y(v)}" y2="${y(v)}" class="grid"/>`)
    .join('');
  const xTicks = tickIndices(points.length, 6)
    .map((i) => {
      const anchor = points.length === 1 ? 'middle' : i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle';
      const label = points[i].date ?? points[i].label;
      const commit = points[i].commit ? `<text class="tick-commit" x="${x(i).toFixed(1)}" y="${top + plotH + 31}" text-anchor="${anchor}">${esc(points[i].commit!)}</text>` : '';
      return `<line class="axis" x1="${x(i).toFixed(1)}" x2="${x(i).toFixed(1)}" y1="${top + plotH}" y2="${top + plotH + 5}"/><text class="tick-x" x="${x(i).toFixed(1)}" y="${top + plotH + 18}" text-anchor="${anchor}">${esc(label)}</text>${commit}`;
    })
    .join('');
  const axes =
    `<line class="axis" x1="${left}" x2="${width - right}" y1="${top + plotH}" y2="${top + plotH}"/>` +
    `<text class="axis-title" x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle">Commit date (oldest left; one point per commit)</text>` +
    `<text class="axis-title" transform="translate(16 ${top + plotH / 2}) rotate(-90)" text-anchor="middle">Violations</text>`;
  return (
    `<figure class="chart" id="${esc(id)}"><figcaption>${esc(title)}</figcaption>` +
    `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">` +
    `${yTicks}${axes}${xTicks}<path d="${path}" fill="none" stroke="#2563eb" stroke-width="2"/>${dots}` +
    `</svg></figure>`
  );
}
