/**
 * The desired inventory of a stack, from the very resources it tells Terraform to create: the IAM
 * resources and the AWS providers, resolved as cdktf writes them to `cdk.tf.json`, read by the one
 * reader in src/core/drift. The drift module publishes it; `iamctl drift` reads the same from the
 * synthesized file.
 */
import { DefaultTokenResolver, StringConcat, TerraformProvider, TerraformResource, type TerraformStack, Tokenization } from 'cdktf';
import { type DesiredInventory, type DesiredStackMetadata, readAccountDesiredInventory, type TerraformJson } from '../../src/core/drift';
import type { PolicyDocument } from '../../src/core/policy';
import { isPolicyCarrier } from '../guardrails/policy-carrier';

/** Terraform resource types the desired inventory reads. */
export const DESIRED_IAM_RESOURCE_TYPES: readonly string[] = [
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_iam_role_policy_attachment',
  'aws_iam_policy',
  'aws_iam_openid_connect_provider',
];

type Blocks = Record<string, Record<string, unknown>>;

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** Resolves tokens as the stack's synth does (references become `${type.id.attribute}`). */
function resolveIn(stack: TerraformStack, value: unknown): unknown {
  return Tokenization.resolve(value, { scope: stack, resolver: RESOLVER, preparing: false });
}

/** The stack's IAM resources and providers as Terraform JSON (what `cdk.tf.json` holds for them). */
export function collectIamTerraformJson(stack: TerraformStack): TerraformJson {
  const types = new Set(DESIRED_IAM_RESOURCE_TYPES);
  const resource: Record<string, Blocks> = {};
  const provider: Record<string, unknown[]> = {};
  for (const node of stack.node.findAll()) {
    if (node instanceof TerraformResource && types.has(node.terraformResourceType)) {
      const json = resolveIn(stack, node.toTerraform()) as { resource?: Record<string, Blocks> };
      for (const [type, blocks] of Object.entries(json.resource ?? {})) resource[type] = { ...(resource[type] ?? {}), ...blocks };
    } else if (node instanceof TerraformProvider) {
      const json = resolveIn(stack, node.toTerraform()) as { provider?: Record<string, unknown[] | unknown> };
      for (const [name, blocks] of Object.entries(json.provider ?? {})) provider[name] = [...(provider[name] ?? []), ...(Array.isArray(blocks) ? blocks : [blocks])];
    }
  }
  return { resource, provider };
}

/**
 * The documents the stack's constructs emit, by their minified text: each construct writes `document.toString()`
 * into its resource, so a policy attribute with that exact text is that document (read without parsing it again).
 */
function collectCarriedDocuments(stack: TerraformStack): Map<string, PolicyDocument> {
  const out = new Map<string, PolicyDocument>();
  for (const node of stack.node.findAll()) {
    if (isPolicyCarrier(node)) for (const carried of node.carriedPolicies) out.set(carried.document.toString(), carried.document);
  }
  return out;
}

/**
 * The desired inventory of the account `stack` deploys into: {@link collectIamTerraformJson} of `stack` and of every
 * stack in `colocated` pinned to the same account (the organization stacks that create IAM there), read by
 * `readAccountDesiredInventory`. Stacks of `colocated` pinned to other accounts are left out.
 */
export function buildStackDesiredInventory(stack: TerraformStack, metadata: DesiredStackMetadata, colocated: readonly TerraformStack[] = []): DesiredInventory {
  const named = (s: TerraformStack) => ({ id: s.node.id, json: collectIamTerraformJson(s), documents: collectCarriedDocuments(s) });
  return readAccountDesiredInventory(
    named(stack),
    colocated.filter((s) => s !== stack).map(named),
    metadata,
  );
}
