import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ManagedPrincipal, analyzeUsage } from '../../src/core/analyzer';
import { loadActionCatalog } from '../../src/io/catalog/load-action-catalog';
import { collectUsage } from '../../src/io/cloudtrail/collect-usage';
import { listLocalLogTasks } from '../../src/io/cloudtrail/local-log-source';
import { renderAnalyzerHtml } from '../../src/io/reports/analyzer/render-html';

/**
 * The analyzer's HTML on the 310 real Stratus Red Team events: the expected principals, calls and
 * categories below were read from the event files by hand (not from the analyzer).
 */
const fixtures = join(__dirname, '../fixtures/cloudtrail');
const stratusCase = JSON.parse(readFileSync(join(fixtures, 'analyze-cases/stratus-red-team.json'), 'utf8')) as { input: { principals: ManagedPrincipal[] } };
const idle: ManagedPrincipal = {
  arn: 'arn:aws:iam::457448411975:role/idle',
  type: 'role',
  account: 'stratus',
  name: 'idle',
  file: 'accounts/sandbox/stratus/roles/idle.yaml',
  granted: { identityPolicies: [], notEvaluated: [] },
};

async function render(): Promise<string> {
  const snapshot = await collectUsage((onSkip) => listLocalLogTasks(join(fixtures, 'stratus-red-team'), { onSkip }), { workers: 0 });
  const report = analyzeUsage({ snapshot, catalog: loadActionCatalog(), principals: [...stratusCase.input.principals, idle], minDays: 0 });
  return renderAnalyzerHtml(report);
}

function sectionOf(html: string, arn: string): string {
  const start = html.indexOf(`<section class="principal" data-arn="${arn}"`);
  expect(start).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</section>', start));
}

describe('analyzer HTML report', () => {
  let html: string;
  beforeAll(async () => {
    html = await render();
  });

  it('lists the principal with the most flagged calls first among those not in accounts/', () => {
    // 229654561268/christophe called CreateUser, CreateAccessKey and AttachUserPolicy (aws.persistence.iam-create-admin-user).
    const unmanaged = html.slice(html.indexOf('<h2>Principals in the logs but not in accounts/'));
    const firstArn = /<section class="principal" data-arn="([^"]+)"/.exec(unmanaged)?.[1];
    expect(firstArn).toBe('arn:aws:iam::229654561268:user/christophe');
    expect(sectionOf(html, 'arn:aws:iam::229654561268:user/christophe')).toContain('3 flagged call(s)');
  });

  it('flags calls that tamper with logging, the organization or IAM, also when denied', () => {
    expect(sectionOf(html, 'arn:aws:iam::143434273843:user/christophe')).toContain('<tr><td>cloudtrail:StopLogging</td><td>tampers with logging or detection</td><td>1</td><td>0</td></tr>');
    expect(sectionOf(html, 'arn:aws:iam::847129010505:user/christophe')).toContain('<td>cloudtrail:DeleteTrail</td><td>tampers with logging or detection</td>');
    expect(sectionOf(html, 'arn:aws:iam::958312252124:user/christophe')).toContain('<td>cloudtrail:PutEventSelectors</td>');
    expect(sectionOf(html, 'arn:aws:iam::307578594326:role/stratus-red-team-leave-org-role')).toContain(
      '<tr><td>organizations:LeaveOrganization</td><td>changes the organization</td><td>0</td><td>1</td></tr>',
    );
    expect(sectionOf(html, 'arn:aws:iam::751203476945:user/christophe')).toContain('<td>iam:UpdateAssumeRolePolicy</td><td>changes IAM (persistence, escalation)</td>');
  });

  it('folds principals with nothing to show and draws no bar for 0 of 0', () => {
    const details = html.slice(html.indexOf('<details class="empty">'), html.indexOf('</details>'));
    expect(details).toContain('<li>arn:aws:iam::457448411975:role/idle</li>');
    expect(html).not.toContain('data-arn="arn:aws:iam::457448411975:role/idle"');
    expect(html).not.toContain('/idle</text>');
    expect(html).toContain('1 role(s) with no evaluated grants have no bar.');
  });

  it('shows each tightened policy before and after', () => {
    // The bedrock role was granted four bedrock actions; its events show InvokeModel and GetFoundationModelAvailability of them.
    const section = sectionOf(html, 'arn:aws:iam::494659789341:role/test-role');
    expect(section).toContain('<h4>Tightened inline policy bedrock</h4>');
    expect(section).toContain('<code>bedrock:DeleteModelInvocationLoggingConfiguration</code>');
    expect(section).toMatch(/<pre class="before">[\s\S]*<del>\s+&quot;bedrock:DeleteModelInvocationLoggingConfiguration&quot;,?<\/del>/);
    expect(section).toContain('<code>bedrock:ListFoundationModels</code>');
    expect(section).not.toContain('<del>        &quot;bedrock:InvokeModel&quot;,</del>');
    const after = section.slice(section.indexOf('<pre class="after">'));
    expect(after).toContain('&quot;bedrock:InvokeModel&quot;');
    expect(after).not.toContain('DeleteModelInvocationLoggingConfiguration');
  });

  it('says why iam:PassRole is unobservable', () => {
    expect(sectionOf(html, 'arn:aws:iam::457448411975:role/stratus-red-team-ec2-get-password-data-role')).toContain(
      '<tr><td>iam:PassRole</td><td>checked when a call passes a role to a service (RunInstances, CreateFunction, ...); CloudTrail logs no PassRole event, so its use cannot be seen</td></tr>',
    );
  });

  it('stays self-contained', () => {
    expect(html).not.toMatch(/<script|<link|src="http/);
  });
});
