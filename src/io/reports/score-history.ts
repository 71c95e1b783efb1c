import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import type { ComplianceScorePoint } from '../../core/reports';

/** Default file of past compliance scores (the trend), relative to the repository. */
export const DEFAULT_SCORE_HISTORY_FILE = 'reports/compliance-history.json';
/** Past scores kept in the file: two years of weekly runs. */
export const MAX_SCORE_HISTORY_POINTS = 104;

/**
 * Past compliance scores in a local JSON file (`{ "points": [...] }`, oldest first). A missing file is an empty
 * history; a file that is not that shape is an error naming it (never overwritten, so no history is lost).
 */
export function readScoreHistory(file: string): ComplianceScorePoint[] {
  if (!existsSync(file)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `${file} is not valid JSON (${(e as Error).message}): fix or move the score history file; it is not overwritten`);
  }
  const points = (parsed as { points?: unknown }).points;
  if (!Array.isArray(points) || points.some((p) => typeof p !== 'object' || p === null || typeof (p as ComplianceScorePoint).date !== 'string' || typeof (p as ComplianceScorePoint).organization !== 'number')) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `${file}: $.points must be an array of { date, organization, accounts }: fix or move the score history file; it is not overwritten`);
  }
  return points as ComplianceScorePoint[];
}

/** Writes the trend (the report's `trend`), keeping the newest MAX_SCORE_HISTORY_POINTS. */
export function writeScoreHistory(file: string, points: readonly ComplianceScorePoint[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ points: points.slice(-MAX_SCORE_HISTORY_POINTS) }, null, 2)}\n`);
}
