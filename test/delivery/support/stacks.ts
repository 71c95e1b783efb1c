import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TfcTarget } from '../../../src/core/delivery';

/** A temporary `cdktf.out/stacks` with a `cdk.tf.json` per stack (and a `.terraform` folder that must not be uploaded). */
export function writeStacks(root: string, stackNames: readonly string[]): string {
  const stacksDir = join(root, 'cdktf.out', 'stacks');
  for (const name of stackNames) {
    const dir = join(stacksDir, name);
    mkdirSync(join(dir, '.terraform', 'providers'), { recursive: true });
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ resource: { aws_iam_role: { reader: { name: `reader-${name}` } } } }));
    writeFileSync(join(dir, '.terraform', 'providers', 'cache.bin'), 'not uploaded');
  }
  return stacksDir;
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Targets of the two fixture accounts, as resolveTfcTargets returns them for test/fixtures/delivery/cloud-org. */
export const TARGETS: readonly TfcTarget[] = [
  { account: 'app', environment: 'nonprod', stackName: 'iam-app', hostname: 'app.terraform.io', organization: 'acme', workspace: 'iam-app' },
  { account: 'security', environment: 'prod', stackName: 'iam-security', hostname: 'app.terraform.io', organization: 'acme', workspace: 'iam-security' },
];

/** Polls fast: tests never wait for real intervals. */
export const FAST_POLL = { initialIntervalMs: 1, maxIntervalMs: 2, timeoutMs: 5000 } as const;
