/**
 * The resource schemas of the Terraform Cloud provider (hashicorp/tfe 0.71.0), read from the jsii assembly of
 * @cdktf/provider-tfe, which is generated from that provider's schema: for each resource type, its attributes and
 * blocks (named by the Terraform Registry anchor in each property's docs) and whether each is optional. Stands in for
 * `terraform validate`, which needs the provider binary (the Go module proxy does not serve terraform-provider-tfe).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface JsiiProperty {
  readonly name: string;
  readonly type?: unknown;
  readonly optional?: boolean;
  readonly docs?: { readonly summary?: string; readonly remarks?: string };
}
interface JsiiType {
  readonly kind: string;
  readonly docs?: { readonly summary?: string };
  readonly initializer?: { readonly parameters?: ReadonlyArray<{ readonly type: { readonly fqn?: string } }> };
  readonly properties?: readonly JsiiProperty[];
}

/** One resource type's (or nested block's) arguments: Terraform name → required, and the block's own schema. */
export type ResourceSchema = ReadonlyMap<string, { readonly required: boolean; readonly block?: ResourceSchema }>;

const ASSEMBLY = join(__dirname, '..', '..', '..', 'node_modules', '@cdktf', 'provider-tfe', '.jsii');
/** Meta-arguments every resource accepts. */
const META_ARGUMENTS = new Set(['count', 'depends_on', 'for_each', 'lifecycle', 'provider', 'connection', 'provisioner', '//']);

/** Schemas of every tfe_* resource, by type. */
export function readTfeResourceSchemas(): ReadonlyMap<string, ResourceSchema> {
  const types = (JSON.parse(readFileSync(ASSEMBLY, 'utf8')) as { types: Record<string, JsiiType> }).types;
  const out = new Map<string, ResourceSchema>();
  for (const type of Object.values(types)) {
    const resourceType = /\/docs\/resources\/[a-z_]+ (tfe_[a-z_]+)\}/.exec(type.docs?.summary ?? '')?.[1];
    const configFqn = type.kind === 'class' ? type.initializer?.parameters?.[2]?.type.fqn : undefined;
    if (!resourceType || !configFqn) continue;
    out.set(resourceType, readStruct(types, configFqn));
  }
  return out;
}

/** The arguments of a config or block struct, with nested blocks (struct elements of the provider's own package). */
function readStruct(types: Record<string, JsiiType>, fqn: string): ResourceSchema {
  const schema = new Map<string, { required: boolean; block?: ResourceSchema }>();
  for (const property of types[fqn]?.properties ?? []) {
    const name = /\/docs\/(?:resources|data-sources)\/[a-z_]+#([a-z0-9_]+) /.exec(`${property.docs?.summary ?? ''} ${property.docs?.remarks ?? ''}`)?.[1];
    if (!name) continue;
    const blockFqn = /"fqn":"(@cdktf\/provider-tfe\.[^"]+)"/.exec(JSON.stringify(property.type ?? {}))?.[1];
    const block = blockFqn && types[blockFqn]?.kind === 'interface' && blockFqn !== fqn ? readStruct(types, blockFqn) : undefined;
    schema.set(name, { required: !property.optional, ...(block ? { block } : {}) });
  }
  return schema;
}

function checkBody(where: string, body: Record<string, unknown>, schema: ResourceSchema, problems: string[]): void {
  for (const [key, value] of Object.entries(body)) {
    const argument = schema.get(key);
    if (!argument) {
      if (!META_ARGUMENTS.has(key)) problems.push(`${where}: unknown argument "${key}"`);
      continue;
    }
    if (argument.block && Array.isArray(value)) {
      for (const [i, item] of value.entries()) if (typeof item === 'object' && item !== null) checkBody(`${where}.${key}[${i}]`, item as Record<string, unknown>, argument.block, problems);
    }
  }
  for (const [key, { required }] of schema) if (required && !(key in body)) problems.push(`${where}: missing required argument "${key}"`);
}

/** Problems of the `resource` section of a synthesized stack against the schemas: unknown types, unknown or missing arguments. */
export function checkTfeResources(resources: Record<string, Record<string, Record<string, unknown>>>, schemas: ReadonlyMap<string, ResourceSchema>): string[] {
  const problems: string[] = [];
  for (const [type, byName] of Object.entries(resources)) {
    const schema = schemas.get(type);
    if (!schema) {
      problems.push(`${type}: not a resource type of the tfe provider`);
      continue;
    }
    for (const [name, body] of Object.entries(byName)) checkBody(`${type}.${name}`, body, schema, problems);
  }
  return problems;
}
