import { summarizeBench } from './bench-result';
import { parseLastJsonObject, readBenchRow, renderBenchReport } from './run-all';

const ok = (stdout: string) => ({ status: 0, stdout, stderr: '', seconds: 12.4 });

describe('npm run bench (scripts/bench/run-all.ts)', () => {
  it('reads the last JSON object of a benchmark, after progress lines and earlier documents', () => {
    const stdout = 'generating 1000 files\n{"first": 1}\nprogress {not json}\n{\n  "a": {"b": [1, {"c": 2}]},\n  "d": "}"\n}\n';
    expect(parseLastJsonObject(stdout)).toEqual({ a: { b: [1, { c: 2 }] }, d: '}' });
    expect(parseLastJsonObject('no json here')).toBeUndefined();
    expect(parseLastJsonObject('[1, 2]')).toBeUndefined();
  });

  it('computes the ratio as how many times better ours is, for times and for rates', () => {
    const time = summarizeBench({ benchmark: 'x', size: 's', figure: { what: 'ours', value: 2, unit: 's' }, better: 'lower', baseline: { what: 'base', value: 5, unit: 's' } });
    expect(time.ratio).toBe(2.5);
    const rate = summarizeBench({ benchmark: 'x', size: 's', figure: { what: 'ours', value: 300, unit: '/s' }, better: 'higher', baseline: { what: 'base', value: 1200, unit: '/s' } });
    expect(rate.ratio).toBe(0.25);
    const none = summarizeBench({ benchmark: 'x', size: 's', figure: { what: 'ours', value: 1, unit: 's' }, better: 'lower' });
    expect(none).toMatchObject({ baseline: null, ratio: null });
    expect(none.machine.cores).toBeGreaterThan(0);
    expect(none.machine.node).toBe(process.version);
  });

  it('makes a row of the common fields, and says so when a benchmark fails or prints none', () => {
    const summary = { benchmark: 'synth', size: '5x40', figure: { what: 'synth CPU', value: 1.27, unit: 's' }, better: 'lower', baseline: { what: 'bare cdktf', value: 0.69, unit: 's' }, ratio: 0.54 };
    expect(readBenchRow({ name: 'synth', size: 'small' }, ok(JSON.stringify(summary)))).toEqual({
      benchmark: 'synth',
      size: '5x40',
      status: 'ok',
      seconds: 12,
      figure: '1.27 s (synth CPU)',
      baseline: '0.69 s (bare cdktf)',
      ratio: 0.54,
      better: 'lower',
    });
    expect(readBenchRow({ name: 'scan', size: '5 accounts' }, { status: 2, stdout: '', stderr: 'bench:scan failed: checkov is missing: run npm run setup:scanners\n', seconds: 1 })).toEqual({
      benchmark: 'scan',
      size: '5 accounts',
      status: 'failed',
      seconds: 1,
      note: 'bench:scan failed: checkov is missing: run npm run setup:scanners',
    });
    expect(readBenchRow({ name: 'drift', size: 'small' }, ok('{"roles": 10}'))).toMatchObject({ status: 'no-summary', note: 'printed JSON without the common figure/baseline/ratio fields' });
  });

  it('reads bench:lint as it prints today (no common fields), with its baseline and ratio', () => {
    const lint = { policies: 1000, policiesPerSecond: 600, baseline: { what: 'JSON.parse + validatePolicyDocument', policiesPerSecond: 20000 } };
    expect(readBenchRow({ name: 'lint', size: '1,000 policies' }, ok(JSON.stringify(lint)))).toMatchObject({
      status: 'ok',
      figure: '600 policies/s (lintPolicy)',
      baseline: '20,000 policies/s (JSON.parse + structural validation)',
      ratio: 0.03,
    });
  });

  it('writes a dated table with the machine, one row per benchmark', () => {
    const markdown = renderBenchReport(
      [
        { benchmark: 'synth', size: '5x40', status: 'ok', seconds: 16, figure: '1.27 s (synth CPU)', baseline: '0.69 s (bare cdktf)', ratio: 0.54 },
        { benchmark: 'scan', size: '5 accounts', status: 'failed', seconds: 1, note: 'checkov | missing' },
      ],
      { date: '2026-12-01', full: false, machine: { cpuModel: 'Test CPU', cores: 2, node: 'v20.20.2', platform: 'linux x64', loadAverage: [1, 2, 3] } },
    );
    const lines = markdown.split('\n');
    expect(lines).toContain('Written by `npm run bench` on 2026-12-01: small sizes, one benchmark after the other.');
    expect(lines).toContain('Machine: Test CPU, 2 cores, Node.js v20.20.2, linux x64; load average 1 / 2 / 3 at the end.');
    expect(lines).toContain('| `bench:synth` | 5x40 | 1.27 s (synth CPU) | 0.69 s (bare cdktf) | 0.54× | ok | 16 s |');
    expect(lines).toContain('| `bench:scan` | 5 accounts | — | — | — | failed: checkov \\| missing | 1 s |');
  });
});
