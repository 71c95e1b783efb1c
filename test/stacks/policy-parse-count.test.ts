import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadOrganization } from '../../src/config';
import type { ResolvedOrganization } from '../../src/core/model';
import * as validateModule from '../../src/core/policy/validate';
import { PolicyDocument } from '../../src/core/policy';
import { loadActionCatalog } from '../../src/io/catalog';
import { synthesizeOrganization } from '../../stacks';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

jest.mock('../../src/core/policy/validate', () => {
  const actual = jest.requireActual<typeof validateModule>('../../src/core/policy/validate');
  // validatePolicyDocument calls collectPolicyProblems inside its module, which the mock does not see: no double count.
  return { ...actual, validatePolicyDocument: jest.fn(actual.validatePolicyDocument), collectPolicyProblems: jest.fn(actual.collectPolicyProblems) };
});

/**
 * Instrumentation of issue #11 item 1 (one policy model, validated once): how often loading and synthesizing the
 * example organization parse policy text (JSON.parse of a string holding a "Statement"), validate a document and
 * build one from JSON. The synth must not parse or validate again a document that came from accounts/.
 */
interface Counts {
  readonly parses: number;
  readonly validations: number;
  readonly built: number;
  /** Parses and validations whose input is one of the given documents' text. */
  readonly ofGiven: number;
}

function countDuring(run: () => void, given: ReadonlySet<string> = new Set()): Counts {
  const parse = jest.spyOn(JSON, 'parse');
  const fromJson = jest.spyOn(PolicyDocument, 'fromJson');
  const validate = validateModule.validatePolicyDocument as jest.MockedFunction<typeof validateModule.validatePolicyDocument>;
  const collect = validateModule.collectPolicyProblems as jest.MockedFunction<typeof validateModule.collectPolicyProblems>;
  validate.mockClear();
  collect.mockClear();
  try {
    run();
    const texts = parse.mock.calls.map(([text]) => text).filter((text): text is string => typeof text === 'string' && text.includes('"Statement"'));
    const validated = [...validate.mock.calls, ...collect.mock.calls].map(([value]) => JSON.stringify(value));
    return {
      parses: texts.length,
      validations: validated.length,
      built: fromJson.mock.calls.filter(([input]) => !(input instanceof PolicyDocument)).length,
      ofGiven: [...texts, ...validated].filter((t) => given.has(t)).length,
    };
  } finally {
    parse.mockRestore();
    fromJson.mockRestore();
  }
}

function configDocuments(org: ResolvedOrganization): Set<string> {
  const out = new Set<string>();
  for (const account of org.accounts) {
    if (account.permissionBoundary) out.add(account.permissionBoundary.document.toString());
    for (const p of account.policies) out.add(p.document.toString());
    for (const r of account.roles) for (const p of r.inlinePolicies) out.add(p.document.toString());
  }
  for (const scp of org.organization?.scps ?? []) out.add(scp.document.toString());
  return out;
}

describe('policy parsing per synth of the example organization', () => {
  const catalog = loadActionCatalog();

  it('parses and validates each accounts/ document at load only, never again at synth', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'parse-count-'));
    try {
      // Given the example organization, loaded with counting
      let org: ResolvedOrganization | undefined;
      const load = countDuring(() => {
        org = loadOrganization(EXAMPLE_ORG_ROOT);
      });
      const documents = configDocuments(org!);
      // When every stack is synthesized, with counting
      const synth = countDuring(() => synthesizeOrganization(org!, { outdir: path.join(outdir, 'cdktf.out'), catalog }), documents);
      process.stderr.write(`policy-parse-count ${JSON.stringify({ distinctConfigDocuments: documents.size, load, synth })}\n`);
      // Then no document from accounts/ is parsed or validated again, and the load parsed no policy text (YAML gives objects)
      expect(documents.size).toBeGreaterThan(10);
      expect(synth.ofGiven).toBe(0);
      expect(load.parses).toBe(0);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
