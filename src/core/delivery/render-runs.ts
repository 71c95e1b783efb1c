/** Text rendering of run records, one line per account, for the CI log. Pure: returns a string. */
import { buildGitLabReport, type TfcRunRecord } from './run-record';
import { classifyRunState } from './run-state';

/** `+create ~update -delete` of a record, or a dash when the plan did not finish. */
function describeCounts(record: TfcRunRecord): string {
  if (!record.planCounts) return '-';
  const { create, update, delete: remove } = record.planCounts;
  return `+${create} ~${update} -${remove}`;
}

/** One line per run (`account  workspace  status  +1 ~0 -0  url`), columns aligned, an indented line with what failed, then a totals line. */
export function renderRunSummary(runs: readonly TfcRunRecord[]): string {
  if (runs.length === 0) return 'no runs';
  const rows = runs.map((r) => [r.account, r.workspace, r.status, describeCounts(r), r.url]);
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((row) => row[c].length)));
  const lines = rows.flatMap((row, i) => {
    const line = row.map((cell, c) => (c < widths.length ? cell.padEnd(widths[c]) : cell)).join('  ');
    const detail = runs[i].detail;
    return detail ? [line, `  ${detail}`] : [line];
  });
  const failed = runs.filter((r) => classifyRunState(r.status) === 'failed').length;
  const total = buildGitLabReport(runs);
  lines.push(`${runs.length} run${runs.length === 1 ? '' : 's'}, ${failed} failed; changes +${total.create} ~${total.update} -${total.delete}`);
  return lines.join('\n');
}
