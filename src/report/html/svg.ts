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

export function barChart(title: string, bars: Bar[], id: string): string {
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
      `<rect x="${labelW}" y="${y}" width="${Math.max(w, b.value > 0 ? 2 : 0)}" height="${barH}" fill="${b.color}" rx="3"><title>${esc(b.label)}: ${b.value}</title></rect>` +
      (pw > 0 ? `<rect x="${labelW}" y="${y + barH - 5}" width="${pw}" height="5" fill="#00000040"/>` : '') +
      `<text x="${labelW + w + 6}" y="${y + barH / 2 + 4}" class="value">${b.value}</text></g>`
    );
  });
  return (
    `<figure class="chart" id="${esc(id)}"><figcaption>${esc(title)}</figcaption>` +
    `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">${rows.join('')}</svg></figure>`
  );
}

export interface Point {
  label: string;
  value: number;
}

/** A line chart of violations over commits, oldest first. */
export function burnDown(title: string, points: Point[], id: string): string {
  if (points.length === 0) {
    return `<figure class="chart" id="${esc(id)}"><figcaption>${esc(title)}</figcaption><p class="empty">No history yet: run <code>canon history</code> in a git repository.</p></figure>`;
  }
  const width = 640;
  const height = 240;
  const left = 48;
  const bottom = 28;
  const plotW = width - left - 16;
  const plotH = height - bottom - 12;
  const max = Math.max(1, ...points.map((p) => p.value));
  const x = (i: number): number => left + (points.length === 1 ? plotW / 2 : (i / (points.length - 1)) * plotW);
  const y = (v: number): number => 12 + plotH - (v / max) * plotH;
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const dots = points
    .map((p, i) => `<circle class="point" cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3" data-value="${p.value}"><title>${esc(p.label)}: ${p.value}</title></circle>`)
    .join('');
  const ticks = [0, Math.round(max / 2), max]
    .map((v) => `<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text><line x1="${left}" x2="${width - 16}" y1="${y(v)}" y2="${y(v)}" class="grid"/>`)
    .join('');
  const first = points[0].label;
  const last = points[points.length - 1].label;
  return (
    `<figure class="chart" id="${esc(id)}"><figcaption>${esc(title)}</figcaption>` +
    `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">` +
    `${ticks}<path d="${path}" fill="none" stroke="#2563eb" stroke-width="2"/>${dots}` +
    `<text x="${left}" y="${height - 8}">${esc(first)}</text><text x="${width - 16}" y="${height - 8}" text-anchor="end">${esc(last)}</text>` +
    `</svg></figure>`
  );
}
