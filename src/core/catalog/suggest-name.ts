/** "Did you mean" suggestions by edit distance. */

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), case-insensitive.
 * Stops early and returns `limit + 1` once the distance must exceed `limit`.
 */
export function measureEditDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (Math.abs(s.length - t.length) > limit) return limit + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let value = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) value = Math.min(value, prevPrev[j - 2] + 1);
      row.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[t.length];
}

/** The largest distance still worth suggesting for a word of this length. */
export function suggestionThreshold(length: number): number {
  return Math.max(1, Math.min(4, Math.floor(length / 3)));
}

/**
 * The candidate closest to `word`, when within {@link suggestionThreshold}. A candidate that contains the word,
 * or that the word contains, wins ties (`GetObjects` → `GetObject`). Ties otherwise go to the first candidate.
 */
export function suggestClosest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = suggestionThreshold(word.length);
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = measureEditDistance(word, candidate, limit);
    if (distance > limit) continue;
    const c = candidate.toLowerCase();
    const score = distance * 2 - (c.includes(lower) || lower.includes(c) ? 1 : 0);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
