/**
 * A small local fake of AWS Config for the two operations the compliance report reads, over the documented AWS
 * JSON 1.1 protocol (POST /, `X-Amz-Target: StarlingDoveService.<Operation>`, errors as `{ "__type", "message" }`).
 * moto 5.2.5 serves neither DescribeComplianceByConfigRule nor stored evaluations (its put_evaluations keeps
 * nothing), so the tests run against this instead (test/README.md). Loopback only.
 * @see https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeComplianceByConfigRule.html
 * @see https://docs.aws.amazon.com/config/latest/APIReference/API_GetComplianceDetailsByConfigRule.html
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A rule the fake account has, with its evaluations. */
export interface FakeConfigRule {
  readonly compliance: 'COMPLIANT' | 'NON_COMPLIANT' | 'INSUFFICIENT_DATA';
  /** Non-compliant resources (NON_COMPLIANT only). @default - none */
  readonly nonCompliant?: readonly { readonly resourceType: string; readonly resourceId: string; readonly annotation?: string }[];
}

/** One request the fake received. */
export interface FakeConfigRequest {
  readonly operation: string;
  /** Access key id the request was signed with (SigV4 `Credential=` of the Authorization header). */
  readonly accessKeyId: string;
  readonly body: Record<string, unknown>;
}

export interface FakeConfigService {
  readonly endpoint: string;
  /** Replaces the account's rules. */
  setRules(rules: Readonly<Record<string, FakeConfigRule>>): void;
  /** Answers every request with AccessDeniedException while true (reset by {@link setRules}). */
  deny(on: boolean): void;
  /** Requests received since the last {@link setRules}. */
  readonly requests: FakeConfigRequest[];
  stop(): Promise<void>;
}

/** Rules per DescribeComplianceByConfigRule page: small, so a read of the platform's eight rules pages. */
export const FAKE_DESCRIBE_PAGE_SIZE = 3;

/**
 * The platform's Config rules in an account, written by hand from modules/drift-detection (the managed rules, then
 * the custom rule): what the tests expect the compliance reader to ask about.
 */
export const PLATFORM_CONFIG_RULES: readonly string[] = [
  'iam-platform-drift-iam-policy-no-statements-with-admin-access',
  'iam-platform-drift-iam-no-inline-policy-check',
  'iam-platform-drift-iam-user-no-policies-check',
  'iam-platform-drift-iam-root-access-key-check',
  'iam-platform-drift-root-account-mfa-enabled',
  'iam-platform-drift-access-keys-rotated',
  'iam-platform-drift-iam-user-unused-credentials-check',
  'iam-platform-drift-desired-state',
];
/** GetComplianceDetailsByConfigRule's documented default and maximum Limit. */
const DETAILS_DEFAULT_LIMIT = 10;
const DETAILS_MAX_LIMIT = 100;
const MAX_RULE_NAMES = 25;
const EPOCH_SECONDS = 1_764_579_600; // 2025-12-01T09:00:00Z

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  res.end(JSON.stringify(body));
}

function fail(res: ServerResponse, type: string, message: string): void {
  send(res, 400, { __type: type, message });
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Starts the fake on 127.0.0.1 (a free port). */
export async function startFakeConfigService(): Promise<FakeConfigService> {
  let rules: Readonly<Record<string, FakeConfigRule>> = {};
  let denied = false;
  const requests: FakeConfigRequest[] = [];

  const describe = (res: ServerResponse, body: Record<string, unknown>) => {
    const names = (body.ConfigRuleNames as string[] | undefined) ?? Object.keys(rules);
    if (names.length > MAX_RULE_NAMES) return fail(res, 'ValidationException', `ConfigRuleNames has ${names.length} items; at most ${MAX_RULE_NAMES}`);
    const unknown = names.find((n) => !(n in rules));
    if (unknown !== undefined) return fail(res, 'NoSuchConfigRuleException', `The ConfigRule '${unknown}' provided in the request is invalid. Please check the configRule name.`);
    const start = Number(body.NextToken ?? 0);
    const page = names.slice(start, start + FAKE_DESCRIBE_PAGE_SIZE);
    const next = start + FAKE_DESCRIBE_PAGE_SIZE < names.length ? String(start + FAKE_DESCRIBE_PAGE_SIZE) : undefined;
    send(res, 200, {
      ComplianceByConfigRules: page.map((name) => {
        const rule = rules[name]!;
        const count = rule.nonCompliant?.length ?? 0;
        return {
          ConfigRuleName: name,
          Compliance:
            rule.compliance === 'NON_COMPLIANT'
              ? { ComplianceType: 'NON_COMPLIANT', ComplianceContributorCount: { CappedCount: Math.min(count, 100), CapExceeded: count > 100 } }
              : { ComplianceType: rule.compliance },
        };
      }),
      ...(next ? { NextToken: next } : {}),
    });
  };

  const details = (res: ServerResponse, body: Record<string, unknown>) => {
    const name = body.ConfigRuleName as string | undefined;
    if (!name || !(name in rules)) return fail(res, 'NoSuchConfigRuleException', `The ConfigRule '${name ?? ''}' provided in the request is invalid. Please check the configRule name.`);
    const limit = (body.Limit as number | undefined) ?? DETAILS_DEFAULT_LIMIT;
    if (limit > DETAILS_MAX_LIMIT) return fail(res, 'InvalidLimitException', `Limit ${limit} is over ${DETAILS_MAX_LIMIT}`);
    const types = (body.ComplianceTypes as string[] | undefined) ?? ['COMPLIANT', 'NON_COMPLIANT'];
    const rule = rules[name]!;
    const all = types.includes('NON_COMPLIANT') ? (rule.nonCompliant ?? []) : [];
    const start = Number(body.NextToken ?? 0);
    const page = all.slice(start, start + limit);
    send(res, 200, {
      EvaluationResults: page.map((r) => ({
        EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: name, ResourceType: r.resourceType, ResourceId: r.resourceId, EvaluationMode: 'DETECTIVE' }, OrderingTimestamp: EPOCH_SECONDS },
        ComplianceType: 'NON_COMPLIANT',
        ResultRecordedTime: EPOCH_SECONDS,
        ConfigRuleInvokedTime: EPOCH_SECONDS,
        ...(r.annotation ? { Annotation: r.annotation } : {}),
      })),
      ...(start + limit < all.length ? { NextToken: String(start + limit) } : {}),
    });
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('StarlingDoveService.') ? target.slice('StarlingDoveService.'.length) : '';
      let body: Record<string, unknown>;
      try {
        body = await readBody(req);
      } catch {
        return fail(res, 'SerializationException', 'the body is not JSON');
      }
      const accessKeyId = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
      requests.push({ operation, accessKeyId, body });
      if (denied) return fail(res, 'AccessDeniedException', `User: arn:aws:sts::123456789012:assumed-role/reader/test is not authorized to perform: config:${operation}`);
      if (operation === 'DescribeComplianceByConfigRule') return describe(res, body);
      if (operation === 'GetComplianceDetailsByConfigRule') return details(res, body);
      return fail(res, 'UnknownOperationException', `the fake serves DescribeComplianceByConfigRule and GetComplianceDetailsByConfigRule only, not "${target}"`);
    })();
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    setRules(next) {
      rules = next;
      denied = false;
      requests.length = 0;
    },
    deny(on) {
      denied = on;
    },
    requests,
    stop: () => new Promise<void>((resolveClose, reject) => server.close((e) => (e ? reject(e) : resolveClose()))),
  };
}
