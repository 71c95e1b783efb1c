import { readdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { type DeliveryFilter, LOG_FILE_PATTERN, judgeDeliveryPath, segmentsAfterAwsLogs } from './delivery-layout';
import type { LogTask } from './log-task';

/** Options of {@link listLocalLogTasks}. */
export interface LogListingOptions {
  /** Accounts, regions and dates to read; other delivery-layout folders are not opened. @default - everything */
  readonly filter?: DeliveryFilter;
  /** Told about files passed over (not a log file, digest folders), so nothing is dropped silently. */
  readonly onSkip: (file: string, reason: string) => void;
}

/**
 * Lists the CloudTrail log files under a file or folder, in sorted order, pruning delivery-layout
 * folders (`AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>`) outside the filter.
 * Throws a user error when the path does not exist.
 */
export async function* listLocalLogTasks(root: string, options: LogListingOptions): AsyncGenerator<LogTask> {
  let info;
  try {
    info = await stat(root);
  } catch (e) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `--logs ${root}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give a CloudTrail log file or folder`, {
      cause: e,
    });
  }
  if (info.isFile()) {
    yield { kind: 'path', path: root, name: root };
    return;
  }
  yield* walk(root, options);
}

async function* walk(dir: string, options: LogListingOptions): AsyncGenerator<LogTask> {
  const filter = options.filter ?? {};
  // One synchronous call per folder: a delivery layout has a folder per account, region and day, and the
  // asynchronous opendir cost the main thread about 0.25 ms per folder, taken from the worker threads (issue 15).
  const entries = readdirSync(dir, { withFileTypes: true }).map((entry) => ({ name: entry.name, isDir: entry.isDirectory() }));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const segments = segmentsAfterAwsLogs(path);
    if (segments !== undefined) {
      const verdict = judgeDeliveryPath(entry.isDir ? segments : segments.slice(0, -1), filter);
      if (verdict === 'prune') continue;
      if (verdict !== 'read') {
        options.onSkip(path, verdict.skip);
        continue;
      }
    }
    if (entry.isDir) {
      yield* walk(path, options);
    } else if (LOG_FILE_PATTERN.test(entry.name)) {
      yield { kind: 'path', path, name: path };
    } else {
      options.onSkip(path, 'not-a-log-file');
    }
  }
}
