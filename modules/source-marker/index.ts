/**
 * Marks every resource with the accounts/ file it came from, so scanners (checkov, drift detection)
 * can map a finding on `aws_iam_role.x` back to the YAML file a human edits:
 * - taggable resources carry the tag `iam-platform:source = <repo-relative yaml file>`;
 * - every marked resource is listed, by Terraform address, in a `sources.json` file written next to
 *   the stack's cdk.tf.json (see {@link collectSourceMap}), with the file and the path inside it.
 *
 * The map is a sidecar rather than `"//"` overrides inside cdk.tf.json: overrides cost about a
 * quarter of the synth time at 40k resources, and checkov ignores `//` anyway.
 */
import { TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { SourceRef } from '../../src/core/model';

/** Tag key holding the repo-relative YAML file a resource was declared in. */
export const SOURCE_TAG_KEY = 'iam-platform:source';
/** Name of the per-stack source map written next to cdk.tf.json. */
export const SOURCE_MAP_FILE = 'sources.json';
/** Version of the {@link SourceMap} shape. */
export const SOURCE_MAP_VERSION = 1;

/** Where one resource came from. */
export interface ResourceSource {
  /** Repo-relative YAML file. */
  readonly file: string;
  /** Path inside the file (`$.inlinePolicies.read`). */
  readonly path: string;
}

/** The content of `sources.json`: Terraform address (`aws_iam_role.role-app_role_D8D81A12`) → source. */
export interface SourceMap {
  readonly version: typeof SOURCE_MAP_VERSION;
  /** Stack id. */
  readonly stack: string;
  readonly resources: Readonly<Record<string, ResourceSource>>;
}

const markers = new WeakMap<TerraformResource, ResourceSource>();

/** The resource's tags plus the source tag. */
export function withSourceTag(tags: Readonly<Record<string, string>> | undefined, source: SourceRef): Record<string, string> {
  return { ...(tags ?? {}), [SOURCE_TAG_KEY]: source.file };
}

/** Records where a resource came from (the line is not read: the loader computes it lazily). */
export function markSource(resource: TerraformResource, source: SourceRef): void {
  markers.set(resource, { file: source.file, path: source.path });
}

/** Where a marked resource came from. @returns undefined for an unmarked resource */
export function sourceOfResource(resource: TerraformResource): ResourceSource | undefined {
  return markers.get(resource);
}

/** Every marked resource under the scope, by Terraform address, in tree order. */
export function collectSourceMap(stack: IConstruct): SourceMap {
  const resources: Record<string, ResourceSource> = {};
  for (const node of stack.node.findAll()) {
    if (!(node instanceof TerraformResource)) continue;
    const source = markers.get(node);
    if (source) resources[`${node.terraformResourceType}.${node.friendlyUniqueId}`] = source;
  }
  return { version: SOURCE_MAP_VERSION, stack: stack.node.id, resources };
}
