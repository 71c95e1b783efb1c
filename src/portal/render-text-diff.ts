/**
 * A unified line diff of two texts (for the preview page and the merge request description): the
 * longest common subsequence of lines, with `context` lines around each change.
 */

/** Lines per file above which the diff gives up on alignment and shows the files whole. */
export const MAX_DIFF_LINES = 5000;

/** Renders `before` → `after` as unified diff lines (`--- a/file`, `+++ b/file`, `@@`, ` `, `-`, `+`). */
export function renderTextDiff(file: string, before: string, after: string, context = 3): string {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  const ops: { op: ' ' | '-' | '+'; line: string }[] = [];
  if (a.length > MAX_DIFF_LINES || b.length > MAX_DIFF_LINES) {
    ops.push(...a.map((line) => ({ op: '-' as const, line })), ...b.map((line) => ({ op: '+' as const, line })));
  } else {
    // lcs[i][j]: common lines of a[i..] and b[j..].
    const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
    for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i] === b[j]) {
        ops.push({ op: ' ', line: a[i] });
        i++;
        j++;
      } else if (j < b.length && (i >= a.length || lcs[i][j + 1] > lcs[i + 1][j])) {
        ops.push({ op: '+', line: b[j++] });
      } else {
        ops.push({ op: '-', line: a[i++] });
      }
    }
  }
  const out = [`--- a/${file}`, `+++ b/${file}`];
  const changed = ops.map((o, k) => (o.op !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) return '';
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k] - context);
    let end = changed[k];
    while (k + 1 < changed.length && changed[k + 1] - end <= 2 * context) end = changed[++k];
    end = Math.min(ops.length - 1, end + context);
    k++;
    const before = ops.slice(0, start);
    const hunk = ops.slice(start, end + 1);
    const aStart = before.filter((o) => o.op !== '+').length + 1;
    const bStart = before.filter((o) => o.op !== '-').length + 1;
    out.push(`@@ -${aStart},${hunk.filter((o) => o.op !== '+').length} +${bStart},${hunk.filter((o) => o.op !== '-').length} @@`);
    out.push(...hunk.map((o) => `${o.op}${o.line}`));
  }
  return `${out.join('\n')}\n`;
}
