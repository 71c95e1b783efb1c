/** The remediation journal: every live document a change replaces, written before the change (JSON lines). */
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RemediationAction } from '../../core/drift';

/** Where journals go, relative to the working directory. */
export const JOURNAL_DIR = join('.iamctl', 'journal');

/** One journal line. */
export interface JournalEntry {
  /** ISO time of the entry. */
  readonly time: string;
  readonly account: string;
  readonly accountId: string;
  /** Id of the remediation run (its start time). */
  readonly runId: string;
  /** Index of the action in the plan. */
  readonly sequence: number;
  /**
   * `before`: about to change (replaced value recorded, on disk before the call); `applied`: the call
   * returned; `failed`: the call failed (the run stopped); `skipped`: IAM changed since the plan (re-check).
   */
  readonly phase: 'before' | 'applied' | 'failed' | 'skipped';
  readonly description: string;
  readonly action: RemediationAction;
  /** Error message, for `failed`; the reason, for `skipped`. @default - none */
  readonly error?: string;
  /** Version created by a create-policy-version action. @default - none */
  readonly createdVersionId?: string;
}

/** Appends journal entries; an append that fails stops the remediation before the change. */
export interface JournalWriter {
  /** Where the entries go (a file path, `memory`). */
  readonly location: string;
  append(entry: JournalEntry): Promise<void>;
}

/** Keeps entries in memory (tests, Lambda invocations that also publish to SNS). */
export class MemoryJournal implements JournalWriter {
  public readonly location = 'memory';
  public readonly entries: JournalEntry[] = [];
  public async append(entry: JournalEntry): Promise<void> {
    this.entries.push(entry);
  }
}

/**
 * Appends to `<dir>/<account>/<runId>.jsonl`, creating folders as needed. Each line is flushed to disk
 * (fsync) before `append` returns, so a `before` line survives a SIGKILL during the call it precedes.
 */
export class FileJournal implements JournalWriter {
  public readonly location: string;
  constructor(baseDir: string, account: string, runId: string) {
    this.location = join(baseDir, account, `${runId.replace(/[:.]/g, '-')}.jsonl`);
  }
  public async append(entry: JournalEntry): Promise<void> {
    await mkdir(join(this.location, '..'), { recursive: true });
    const handle = await open(this.location, 'a');
    try {
      await handle.writeFile(`${JSON.stringify(entry)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/** Reads a journal file; a line that does not parse (cut by a kill mid-write) is reported with its number. */
export async function readJournal(file: string): Promise<{ readonly entries: readonly JournalEntry[]; readonly unreadableLines: readonly number[] }> {
  const text = await readFile(file, 'utf8');
  const entries: JournalEntry[] = [];
  const unreadableLines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch {
      unreadableLines.push(i + 1);
    }
  });
  return { entries, unreadableLines };
}
