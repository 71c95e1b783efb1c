/**
 * The whole access-request flow in headless Chromium (Debian chromium, playwright-core) against `iamctl serve`
 * and the local GitLab fake: search, fill a request for s3:GetObject on one bucket for app-debug in app-dev,
 * see the preview with verdict new-access, submit, follow it under "my requests". Then what the fake received:
 * the branch, one commit changing exactly that role's file, the merge request with verdict and approvers.
 * The form is driven by keyboard only; every step is screenshotted into test-artifacts/portal/ (gitignored).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, TEST_ARTIFACTS_DIR } from '../support/chromium';
import { startFakeGitLab, type FakeGitLab } from '../diff/support/fake-gitlab';
import { copyExampleOrg, readAccountsFiles, startServe, type ServeProcess } from './support/portal-fixture';

const ARTIFACTS = join(TEST_ARTIFACTS_DIR, 'portal');
const ROLE_FILE = 'accounts/workloads/app-dev/roles/app-debug.yaml';
const TOKEN = 'glpat-alice-test';

/** Accessibility basics of the page: every visible form control has a label, ids are unique, one h1, a language. */
async function checkAccessibility(page: Page): Promise<string[]> {
  // A string, so that the DOM code is not type-checked against Node's types.
  return page.evaluate<string[]>(`(() => {
    const problems = [];
    const controls = [...document.querySelectorAll('input, select, textarea, button')].filter((e) => e.type !== 'hidden');
    for (const c of controls) {
      const named = c.tagName === 'BUTTON' ? (c.textContent || '').trim() !== '' : (c.labels ? c.labels.length : 0) > 0 || c.getAttribute('aria-label') !== null;
      if (!named) problems.push(c.tagName.toLowerCase() + '#' + (c.id || '?') + ' name=' + c.name + ' has no label');
    }
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push('duplicate id ' + id);
    if (document.querySelectorAll('h1').length !== 1) problems.push(document.querySelectorAll('h1').length + ' h1 elements');
    if (!document.documentElement.lang) problems.push('no lang on <html>');
    return problems;
  })()`);
}

describe('access request flow in a real browser', () => {
  let root: string;
  let gitlab: FakeGitLab;
  let serve: ServeProcess;
  let browser: Browser;
  let original: string;
  const external: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    root = copyExampleOrg();
    original = readFileSync(join(root, ROLE_FILE), 'utf8');
    gitlab = await startFakeGitLab({ token: TOKEN, projectId: 'acme/platform/iam', user: { id: 42, username: 'alice', name: 'Alice Example' }, files: readAccountsFiles(root) });
    serve = await startServe(root, ['--mode', 'local', '--project', 'acme/platform/iam', '--api-url', gitlab.apiUrl], { GITLAB_TOKEN: TOKEN, IAMCTL_FROM_SOURCE: '1' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await gitlab?.close();
  });

  it('searches, previews new-access, submits, and GitLab receives exactly that change', async () => {
    const page = await browser.newPage();
    // Nothing but the portal itself may be loaded (no external assets).
    page.on('request', (r) => {
      if (!r.url().startsWith(serve.url)) external.push(r.url());
    });
    const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

    // Given a browser that has not opened the sign-in link, nothing is shown
    const anonymous = await page.goto(`${serve.url}/`);
    expect(anonymous?.status()).toBe(401);
    // Given the start page after the sign-in link, when searching for the role by keyboard
    await page.goto(serve.loginUrl!);
    await page.waitForURL(`${serve.url}/`);
    expect(await checkAccessibility(page)).toEqual([]);
    await page.getByLabel('Search accounts, roles and actions').focus();
    await page.keyboard.type('app-debug');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\?q=app-debug/);
    await shot('01-search');
    const hit = page.getByRole('link', { name: 'app-debug (app-dev)' });
    await hit.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/accounts\/app-dev\/roles\/app-debug$/);
    // Then the role page shows what the role can do with access levels from the catalog, and who can assume it
    const roleText = await page.locator('main').innerText();
    expect(roleText).toContain('ssm:StartSession');
    expect(roleText).toMatch(/ssm:StartSession.*\(with conditions\)\s+Write/);
    expect(roleText).toContain('management (human) — MFA within 3600 s');
    expect(await checkAccessibility(page)).toEqual([]);
    await shot('02-role');

    // When requesting access from the role page (account and role are filled in)
    await page.getByRole('link', { name: 'Request access to this role' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/request\?/);
    expect(await page.getByLabel('app-dev').isChecked()).toBe(true);
    expect(await page.getByLabel('Role', { exact: true }).inputValue()).toBe('app-debug');
    expect(await checkAccessibility(page)).toEqual([]);
    // Catalog autocomplete: the lookup offers s3:GetObject with its access level
    await page.getByLabel('Look up an action in the catalog').focus();
    await page.keyboard.type('s3:GetObj');
    // Locators, never string predicates: waitForFunction compiles a string in the page, which the portal's CSP forbids
    // (no unsafe-eval); it only passed when the options were already there at the first check.
    await page.locator('#action-options option[value="s3:GetObject"]').waitFor({ state: 'attached' });
    const option = await page.locator('#action-options option[value="s3:GetObject"]').getAttribute('label');
    expect(option).toBe('s3:GetObject (Read)');
    await page.keyboard.type('ect');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // "Add action"
    expect(await page.getByLabel('Actions, one per line').inputValue()).toBe('s3:GetObject');
    await page.locator('#resource-templates', { hasText: 'arn:aws:s3:::${BucketName}/${ObjectName}' }).waitFor();
    await page.getByLabel('Resource ARNs, one per line').focus();
    await page.keyboard.type('arn:aws:s3:::shop-dev-uploads/*');
    await page.getByLabel('Justification').focus();
    await page.keyboard.type('Debug failed uploads of the dev shop (ticket SHOP-1234).');
    await page.getByLabel('Expires on (optional, YYYY-MM-DD, UTC)').fill('2099-01-31');
    await shot('03-request-form');
    await page.getByRole('button', { name: 'Preview' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/request\/preview$/);

    // Then the preview shows the verdict, the approvers of the config, no lint findings and the YAML change
    expect((await page.locator('#verdict').innerText()).trim()).toBe('new-access');
    expect((await page.locator('#approvers').innerText()).trim()).toBe('Security approval: acme/security');
    expect((await page.locator('#lint').innerText()).trim()).toBe('No findings in the changed files.');
    const yaml = await page.locator('pre.diff').innerText();
    expect(yaml).toContain('+          - arn:aws:s3:::shop-dev-uploads/*');
    expect(yaml).toContain('+        expires: "2099-01-31"');
    expect(await checkAccessibility(page)).toEqual([]);
    await shot('04-preview');

    // When submitting (keyboard)
    await page.getByRole('button', { name: 'Submit merge request' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/request\/submit$/);
    expect(await page.locator('#submitted').innerText()).toMatch(/^Merge request !1 opened from branch access-request\/alice\/app-debug-\d{8}t\d{4}\.$/);
    await shot('05-submitted');

    // And following it under "my requests", with its pipeline state
    await page.getByRole('link', { name: 'My requests' }).first().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/requests$/);
    const row = await page.locator('#my-requests tbody tr').innerText();
    expect(row.split('\t').map((c) => c.trim())).toEqual(['!1', 'Access request: s3:GetObject for app-debug in app-dev', 'opened', 'running']);
    await shot('06-my-requests');

    // Then GitLab received one commit on the new branch, from main, changing exactly the role's file
    expect(gitlab.commits).toHaveLength(1);
    const commit = gitlab.commits[0];
    expect(commit.branch).toMatch(/^access-request\/alice\/app-debug-\d{8}t\d{4}$/);
    expect(commit.start_branch).toBe('main');
    expect(commit.actions.map((a) => [a.action, a.file_path])).toEqual([['update', ROLE_FILE]]);
    const sid = /Sid: (AccessRequest\d{12})/.exec(commit.actions[0].content ?? '')?.[1];
    expect(sid).toBeDefined();
    // The original file, untouched (comments included), plus the new policy at the end.
    expect(commit.actions[0].content).toBe(
      `${original}  access-requests:\n    Version: "2012-10-17"\n    Statement:\n      - Sid: ${sid}\n        Effect: Allow\n        Action:\n          - s3:GetObject\n        Resource:\n          - arn:aws:s3:::shop-dev-uploads/*\n        expires: "2099-01-31"\n`,
    );
    // And a merge request from that branch with the verdict, the justification and the approvers org.yaml names
    expect(gitlab.mergeRequests).toHaveLength(1);
    const mr = gitlab.mergeRequests[0];
    expect([mr.source_branch, mr.target_branch, mr.labels]).toEqual([commit.branch, 'main', 'access-request,verdict::new-access']);
    expect(mr.description).toContain('**Access diff verdict:** `new-access`');
    expect(mr.description).toContain('### Approvers\n\n- Security approval: @acme/security (accounts app-dev)\n');
    expect(mr.description).not.toContain('security-leads');
    expect(mr.description).toContain('> Debug failed uploads of the dev shop (ticket SHOP-1234).');
    expect(mr.description).toContain('+          - arn:aws:s3:::shop-dev-uploads/*');
    expect(external).toEqual([]);
  });

  it('shows every problem next to its field, without a stack trace', async () => {
    const page = await browser.newPage();
    await page.goto(serve.loginUrl!);
    await page.goto(`${serve.url}/request`);
    await page.getByLabel('Justification').fill('short');
    await page.getByLabel('Actions, one per line').fill('s3:GetObjekt');
    await page.getByLabel('Resource ARNs, one per line').fill('*');
    await page.getByRole('button', { name: 'Preview' }).press('Enter');
    await page.waitForURL(/\/request\/preview$/);
    await page.screenshot({ path: join(ARTIFACTS, '07-form-errors.png'), fullPage: true });
    const errors = await page.locator('.error-summary li').allInnerTexts();
    expect(errors).toEqual([
      'accounts: pick at least one account',
      'role: name the role (pick one of the selected accounts)',
      'justification: say why you need the access (at least 10 characters): reviewers approve on it',
      'resources[0]: "*" is not a resource ARN: give one ARN per line (`arn:aws:s3:::bucket/prefix/*`), not "*"',
    ]);
    expect(await page.getByLabel('Justification').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Justification').getAttribute('aria-describedby')).toBe('error-justification');
    expect(await checkAccessibility(page)).toEqual([]);
  });
});
