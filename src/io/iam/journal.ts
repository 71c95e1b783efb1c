/** The remediation journal: every live document a change replaces, written before the change (JSON lines). */
import { appendFile, mkdir } from 'node:fs/promises';
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
  /** `before`: about to change (replaced value recorded); `applied`; `failed`; `rolled-back`: undone after a later failure. */
  readonly phase: 'before' | 'applied' | 'failed' | 'rolled-back' | 'rollback-failed';
  readonly description: string;
  readonly action: RemediationAction;
  /** Error message, for `failed`. @default - none */
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

/** Appends to `<dir>/<account>/<runId>.jsonl`, creating folders as needed. */
export class FileJournal implements JournalWriter {
  public readonly location: string;
  constructor(baseDir: string, account: string, runId: string) {
    this.location = join(baseDir, account, `${runId.replace(/[:.]/g, '-')}.jsonl`);
  }
  public async append(entry: JournalEntry): Promise<void> {
    await mkdir(join(this.location, '..'), { recursive: true });
    await appendFile(this.location, `${JSON.stringify(entry)}\n`, 'utf8');
  }
}
