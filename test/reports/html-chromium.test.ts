import { join } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { analyzeCommand } from '../../src/cli/commands/analyze';
import { reportCommand } from '../../src/cli/commands/report';
import { runCli } from '../../src/cli/program';
import type { AccessReview, ComplianceReport, UnusedReport } from '../../src/core/reports';
import { renderPeriodicReport, type PeriodicReport } from '../../src/io/reports';
import { captureOutput } from '../support/capture-output';
import { artifactPath, launchChromium, openPage } from '../support/chromium';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';
import { LAMBDA_ESCALATION_ROLE, copyExampleOrg, writeRole } from './example-copy';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

jest.setTimeout(120_000);

async function json<T>(args: readonly string[], cwd: string): Promise<T> {
  const output = captureOutput();
  await runCli([...args, '--format', 'json', '--now', '2026-12-01T09:00:00Z'], [reportCommand], { output, cwd });
  return JSON.parse(output.stdout()) as T;
}

/** Renders the report's HTML in Chromium; returns the data-figure values of the DOM. */
async function render(browser: Browser, report: PeriodicReport, name: string): Promise<{ figures: Record<string, string>; errors: readonly string[] }> {
  const watched = await openPage(browser);
  await watched.page.setContent(renderPeriodicReport(report, 'html'), { waitUntil: 'load' });
  const figures = await watched.page.$$eval('[data-figure]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-figure') ?? '', e.textContent ?? ''])));
  const file = artifactPath('reports', `${name}.png`);
  await watched.page.screenshot({ path: file, fullPage: false });
  expect(statSync(file).size).toBeGreaterThan(1000);
  await watched.page.close();
  return { figures, errors: watched.errors() };
}

const shown = (n: number | null) => (n === null ? 'not read' : String(n));

describe('HTML reports in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('access review: renders without console errors and shows the figures of its JSON', async () => {
    const dir = copyExampleOrg();
    writeRole(dir, 'workloads/app-dev', 'lambda-deployer', LAMBDA_ESCALATION_ROLE);
    const review = await json<AccessReview>(['report', 'access-review'], dir);
    const { figures, errors } = await render(browser, review, 'access-review');
    expect(errors).toEqual([]);
    const s = review.summary;
    expect(figures).toEqual({
      adminPaths: String(s.adminPaths),
      thirdPartyTrust: String(s.thirdPartyTrust),
      externalTrust: String(s.externalTrust),
      humanWithoutMfa: String(s.humanWithoutMfa),
      rolesWithoutBoundary: String(s.rolesWithoutBoundary),
      unusedRoles: shown(s.unusedRoles),
      unusedPermissions: shown(s.unusedPermissions),
      changes: String(s.changes),
      openDecisions: String(s.openDecisions),
    });
  });

  it('compliance: renders without console errors and shows the scores of its JSON', async () => {
    const report = await json<ComplianceReport>(['report', 'compliance', '--no-history'], EXAMPLE_ORG_ROOT);
    const { figures, errors } = await render(browser, report, 'compliance');
    expect(errors).toEqual([]);
    expect(figures).toEqual({ score: String(report.score), ...Object.fromEntries(report.accounts.map((a) => [`account:${a.account}`, String(a.score)])) });
  });

  it('unused permissions: renders without console errors and shows the totals of its JSON', async () => {
    const fixtures = join(__dirname, '../fixtures/cloudtrail');
    const repo = join(fixtures, 'cli-repo');
    const analyze = captureOutput();
    await runCli(['analyze', '--logs', join(fixtures, 'synthetic'), '--workers', '0', '--format', 'json'], [analyzeCommand], { output: analyze, cwd: repo });
    const file = join(mkdtempSync(join(tmpdir(), 'iamctl-html-')), 'analyzer.json');
    writeFileSync(file, analyze.stdout());
    const report = await json<UnusedReport>(['report', 'unused', '--analyzer-result', file], repo);
    const { figures, errors } = await render(browser, report, 'unused');
    expect(errors).toEqual([]);
    const s = report.summary;
    expect(figures).toEqual({ removable: String(s.removable), roles: String(s.roles), granted: String(s.granted), used: String(s.used), unobservable: String(s.unobservable) });
  });

  it('access graph stays in one lane per account at 50 accounts', async () => {
    // Given a review of 50 accounts built from the example one (same lanes, renamed)
    const review = await json<AccessReview>(['report', 'access-review'], EXAMPLE_ORG_ROOT);
    const lane = review.accounts.find((a) => a.account === 'app-prod')!;
    const accounts = Array.from({ length: 50 }, (_, i) => ({ ...lane, account: `account-${String(i).padStart(2, '0')}` }));
    const big: AccessReview = { ...review, accounts };
    const watched = await openPage(browser);
    await watched.page.setContent(renderPeriodicReport(big, 'html'));
    // Then every account has its header and no two nodes overlap
    const boxes = await watched.page.$$eval('svg[aria-label^="Access graph"] rect[rx]', (els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.x, r.y, r.width, r.height]));
    const overlaps = boxes.filter((a, i) => boxes.some((b, j) => j > i && a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]));
    expect(overlaps).toEqual([]);
    const headers = await watched.page.$$eval('svg[aria-label^="Access graph"] text[font-weight="700"]', (els) => els.length);
    expect(headers).toBe(50);
    await watched.page.screenshot({ path: artifactPath('reports', 'access-graph-50-accounts.png') });
    expect(watched.errors()).toEqual([]);
    expect(existsSync(artifactPath('reports', 'access-graph-50-accounts.png'))).toBe(true);
  });
});
