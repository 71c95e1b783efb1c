/** IPv4 CIDR arithmetic for the private network option: pure, no lookups. */
import { ERROR_CODES, IamPlatformError } from '../../src/core/errors';

function parseCidr(cidr: string): { base: number; prefix: number } {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = match ? match.slice(1, 5).map(Number) : [];
  const prefix = match ? Number(match[5]) : NaN;
  if (!match || octets.some((o) => o > 255) || prefix > 32) {
    throw new IamPlatformError(ERROR_CODES.INVALID_CONFIG, `"${cidr}" is not an IPv4 CIDR: write it as a.b.c.d/n (10.64.0.0/24)`);
  }
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  if ((address & ~mask) >>> 0 !== 0) {
    throw new IamPlatformError(ERROR_CODES.INVALID_CONFIG, `"${cidr}" has host bits set: the network address of a /${prefix} is ${formatAddress((address & mask) >>> 0)}/${prefix}`);
  }
  return { base: address, prefix };
}

function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join('.');
}

/**
 * Splits a CIDR into `2^newBits` equal subnets and returns them in address order, as Terraform's
 * `cidrsubnet(cidr, newBits, i)` would for i = 0, 1, ….
 */
export function splitCidr(cidr: string, newBits: number): string[] {
  const { base, prefix } = parseCidr(cidr);
  const size = prefix + newBits;
  if (size > 28) throw new IamPlatformError(ERROR_CODES.INVALID_CONFIG, `"${cidr}" is too small for ${2 ** newBits} subnets: a VPC subnet is at most a /28`);
  const step = 2 ** (32 - size);
  return Array.from({ length: 2 ** newBits }, (_, i) => `${formatAddress(base + i * step)}/${size}`);
}
