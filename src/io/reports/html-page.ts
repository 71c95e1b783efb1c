/** The HTML parts every report shares: escaping, tables, figures the browser test reads back, one self-contained page. */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A table; `none` when there are no rows. Cells are text (escaped). */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '<p class="none">none</p>';
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/**
 * Key figures as a row of tiles; each value carries `data-figure="<name>"` so a test can compare the DOM with the
 * JSON. A null value shows as "not read".
 */
export function renderFigures(figures: readonly { readonly name: string; readonly label: string; readonly value: number | null }[]): string {
  const tiles = figures.map((f) => `<div class="tile"><span class="figure" data-figure="${escapeHtml(f.name)}">${f.value === null ? 'not read' : String(f.value)}</span><span class="label">${escapeHtml(f.label)}</span></div>`);
  return `<div class="tiles">${tiles.join('')}</div>`;
}

const STYLE = [
  'body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1400px}',
  'table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left;font-size:13px;vertical-align:top}th{background:#f4f4f4}',
  '.none{color:#777}.note{color:#555;font-size:13px}.fail{color:#a40000;font-weight:600}.pass{color:#2d7a3d}',
  '.tiles{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}.tile{border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;min-width:8rem}',
  '.figure{display:block;font-size:1.6rem;font-weight:700}.label{font-size:12px;color:#555}',
  'pre{background:#f7f7f7;padding:.5rem;overflow:auto;font-size:12px}del{color:#a40000}ins{color:#2d7a3d;text-decoration:none}',
  'details{margin:.25rem 0}summary{cursor:pointer}svg{max-width:100%;height:auto}',
].join('');

/** One self-contained HTML page: no scripts, no external assets, inline CSS and SVG. */
export function renderPage(title: string, body: string): string {
  return ['<!doctype html>', `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>`, `<style>${STYLE}</style></head><body>`, body, '</body></html>', ''].join('\n');
}

/** A CSV field: quoted when it holds a comma, quote or line break. */
export function csvField(value: string | number | boolean | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text from a header and rows. */
export function renderCsv(headers: readonly string[], rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  return [headers.map(csvField).join(','), ...rows.map((r) => r.map(csvField).join(','))].join('\n') + '\n';
}

/** A Markdown table cell: pipes and line breaks escaped. */
export function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderMarkdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '_none_\n';
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)].join('\n') + '\n';
}
