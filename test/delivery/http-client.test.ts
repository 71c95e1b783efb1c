import { parseRetryAfter, readErrorDetails } from '../../src/io/terraform-cloud';

describe('Terraform Cloud HTTP helpers', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-28T08:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 08:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 07:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('joins the JSON:API errors[].detail, falling back to the title, and ignores bodies without errors', () => {
    expect(readErrorDetails(JSON.stringify({ errors: [{ status: '422', title: 'invalid attribute', detail: 'Name has already been taken' }, { title: 'conflict' }] }))).toBe(
      'Name has already been taken; conflict',
    );
    expect(readErrorDetails(JSON.stringify({ errors: ['not found'] }))).toBe('not found');
    expect(readErrorDetails('<html>Bad gateway</html>')).toBe('');
    expect(readErrorDetails(JSON.stringify({ data: {} }))).toBe('');
  });
});
