/** "Did you mean" suggestions for misspelled keys and names. */

/** Edit distance (insert, delete, substitute, swap of neighbours) between two strings. */
export function measureEditDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0][j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[rows - 1][cols - 1];
}

/**
 * The candidate closest to `word`, when it is a near miss: at most 1 edit for words up to 4
 * characters, 2 up to 8, 3 beyond; case differences are free; otherwise a shared prefix
 * of at least 3 characters. Ties go to the first in sorted order.
 */
export function findClosestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const sorted = [...candidates].sort();
  // A prefix of three or more characters is a near miss too (`production` → `prod`).
  const prefix = sorted.find((c) => {
    const cl = c.toLowerCase();
    return Math.min(cl.length, lower.length) >= 3 && cl !== lower && (cl.startsWith(lower) || lower.startsWith(cl));
  });
  const limit = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of sorted) {
    const distance = measureEditDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance && distance <= limit) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best ?? prefix;
}
