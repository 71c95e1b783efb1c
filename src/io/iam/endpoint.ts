/**
 * Which endpoint the AWS clients call. In a module of its own, without the SDK, so commands that only need
 * to know the endpoint (`iamctl analyze` over local logs) do not load the SDK clients.
 */

/** The endpoint from the option, else `AWS_ENDPOINT_URL`, else undefined (AWS's own). */
export function resolveEndpoint(endpoint: string | undefined): string | undefined {
  const value = endpoint ?? process.env.AWS_ENDPOINT_URL;
  return value && value.length > 0 ? value : undefined;
}
