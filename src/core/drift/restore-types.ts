/** The journal line shape the core reads (written by src/io/iam journal). */
import type { RemediationAction } from './plan';

/** One journal line, as far as restore needs it. */
export interface JournalEntryLike {
  readonly account: string;
  readonly accountId: string;
  readonly runId: string;
  readonly sequence: number;
  readonly phase: string;
  readonly action: RemediationAction;
  /** @default - none */
  readonly createdVersionId?: string;
}
