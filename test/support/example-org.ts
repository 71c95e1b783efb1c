import { join } from 'node:path';

/**
 * Root of the example organization the platform's tests run on: `accounts/` copied from the repository's example on
 * 2026-12-01 into test/fixtures/orgs/example/. The tests read this copy, never the repository's accounts/, so a fork
 * can add and change its own accounts, OUs and roles without breaking the platform's suite; its accounts/ is checked by
 * what its CI runs on it (iamctl validate, lint, synth, scan).
 */
export const EXAMPLE_ORG_ROOT = join(__dirname, '..', 'fixtures', 'orgs', 'example');
