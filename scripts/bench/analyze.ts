/**
 * `npm run bench:analyze [-- --events N] [-- --workers N] [-- --repeat N] [-- --keep]`: CloudTrail analysis speed and memory
 * against a floor measured in the same run.
 *
 * 1. Generates N events (default 1,000,000) in CloudTrail's S3 delivery layout in a temp dir:
 *    `AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/*.json.gz`, 1,000 events per file, with
 *    realistic fields and a principal/eventName mix (assumed roles, users, AWS services, errors).
 * 2. Floor: scripts/bench/analyze-floor.js, the same files, the same worker count, fed the same way,
 *    each worker doing only read + gunzip + JSON.parse.
 * 3. Analyzer: `node bin/iamctl.js analyze --logs DIR --format json`, what a user runs (the bundle is built
 *    first; a run from the TypeScript sources is refused), in a scratch folder without accounts/.
 * Each measurement is a fresh process timed from spawn to exit (node's start-up included on both sides);
 * CPU time and peak RSS (VmHWM, worker threads included) come from scripts/bench/exit-probe.js, preloaded.
 * After one untimed run of each (the page cache and the CLI's code cache in place), floor and analyzer
 * alternate `--repeat` times (default 3); the ratio is the median of the pairwise ratios. One more analyzer
 * run with IAMCTL_RECORD_SCANNER=js (JavaScript readers only) must give the same report, byte for byte.
 * Prints one JSON document.
 * 4. Identical output: the same files aggregated in-thread through the field scanner and through the
 *    JSON.parse reference decoder (test/analyzer/support/parse-log-file.ts) give the same snapshot.
 * 5. In-thread CPU per 100,000 events, start-up excluded: gunzip + JSON.parse against gunzip + field scanner +
 *    aggregation over the first `--in-thread-files` files (default 100), with the fast path's fallback count.
 * 6. Second baseline: trailscraper (pinned, in .tools/trailscraper-venv) on the first
 *    `--trailscraper-events` events (default 100,000; it loads whole files), when it is installed.
 * Targets (issue 15): analyzer events/s ≥ 1.5 × floor events/s; peak RSS < 512 MB.
 *
 * `npm run bench:analyze -- --big-file-mb 1024`: instead, one plain `{"Records":[...]}` file of that
 * size is written and analyzed on 2 workers; prints records expected and counted, time and peak RSS
 * (the 1 GB case of issue 11, too slow for the test suite).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { summarizeBench } from './bench-result';

const EVENTS_PER_FILE = 1000;
const MIN_RATIO = 1.5;
const TRAILSCRAPER = path.join(__dirname, '../../.tools/trailscraper-venv/bin/trailscraper');
const MAX_RSS_BYTES = 512 * 1024 * 1024;
const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const REGIONS = ['eu-west-1', 'us-east-1'];
const DAYS = 90;
const START = Date.parse('2026-05-01T00:00:00Z');

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

/** Deterministic pseudo-random numbers, so every run reads the same logs. */
function makeRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const CALLS: readonly (readonly [string, string, number])[] = [
  // eventSource, eventName, weight
  ['s3.amazonaws.com', 'GetObject', 18],
  ['s3.amazonaws.com', 'PutObject', 6],
  ['s3.amazonaws.com', 'HeadObject', 4],
  ['s3.amazonaws.com', 'ListObjectsV2', 3],
  ['s3.amazonaws.com', 'ListBuckets', 1],
  ['s3.amazonaws.com', 'GetBucketLocation', 2],
  ['sts.amazonaws.com', 'AssumeRole', 8],
  ['sts.amazonaws.com', 'GetCallerIdentity', 3],
  ['kms.amazonaws.com', 'Decrypt', 9],
  ['kms.amazonaws.com', 'GenerateDataKey', 4],
  ['kms.amazonaws.com', 'ReEncrypt', 1],
  ['dynamodb.amazonaws.com', 'DescribeTable', 3],
  ['ec2.amazonaws.com', 'DescribeInstances', 5],
  ['ec2.amazonaws.com', 'DescribeSecurityGroups', 2],
  ['ec2.amazonaws.com', 'RunInstances', 1],
  ['lambda.amazonaws.com', 'GetFunction20150331v2', 2],
  ['lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 1],
  ['logs.amazonaws.com', 'CreateLogStream', 3],
  ['logs.amazonaws.com', 'DescribeLogGroups', 2],
  ['monitoring.amazonaws.com', 'PutMetricData', 3],
  ['ssm.amazonaws.com', 'GetParameter', 4],
  ['secretsmanager.amazonaws.com', 'GetSecretValue', 3],
  ['iam.amazonaws.com', 'GetRole', 2],
  ['iam.amazonaws.com', 'ListRoles', 1],
  ['iam.amazonaws.com', 'PassRole', 0],
  ['ecr.amazonaws.com', 'GetAuthorizationToken', 2],
  ['sqs.amazonaws.com', 'GetQueueAttributes', 2],
  ['cloudformation.amazonaws.com', 'DescribeStacks', 1],
  ['signin.amazonaws.com', 'ConsoleLogin', 1],
];
const ROLES = ['app', 'app-worker', 'gitlab-deploy', 'etl-glue-job', 'datadog-integration', 'platform-admin', 'auditor', 'analyst-readonly', 'security-scanner', 'tfc-iam-run'];

function generate(dir: string, events: number): { files: number; bytes: number } {
  const random = makeRandom(42);
  const totalWeight = CALLS.reduce((n, c) => n + c[2], 0);
  const pick = () => {
    let r = random() * totalWeight;
    for (const c of CALLS) if ((r -= c[2]) < 0) return c;
    return CALLS[0];
  };
  // Identifiers come from pools of random hex strings: unique enough for realistic compression, cheap to make.
  const pool = (n: number) => Array.from({ length: 4096 }, () => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join(''));
  const pools = new Map([4, 6, 8, 12, 16].map((n) => [n, pool(n)]));
  const hex = (n: number) => pools.get(n)![Math.floor(random() * 4096)];
  let files = 0;
  let bytes = 0;
  const fileCount = Math.ceil(events / EVENTS_PER_FILE);
  for (let f = 0; f < fileCount; f++) {
    const account = ACCOUNTS[f % ACCOUNTS.length];
    const region = REGIONS[Math.floor(f / ACCOUNTS.length) % REGIONS.length];
    const t0 = START + Math.floor((f / fileCount) * DAYS * 86_400_000);
    const day = new Date(t0).toISOString().slice(0, 10).split('-');
    const folder = path.join(dir, 'AWSLogs', account, 'CloudTrail', region, ...day);
    fs.mkdirSync(folder, { recursive: true });
    const records: unknown[] = [];
    const n = Math.min(EVENTS_PER_FILE, events - f * EVENTS_PER_FILE);
    for (let i = 0; i < n; i++) {
      const [eventSource, eventName] = pick();
      const kind = random();
      const time = new Date(t0 + Math.floor(random() * 300_000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
      let userIdentity: unknown;
      if (kind < 0.72) {
        const role = ROLES[Math.floor(random() * ROLES.length)];
        userIdentity = {
          type: 'AssumedRole',
          principalId: `AROA${hex(16).toUpperCase()}:session-${hex(6)}`,
          arn: `arn:aws:sts::${account}:assumed-role/${role}/session-${hex(6)}`,
          accountId: account,
          accessKeyId: `ASIA${hex(16).toUpperCase()}`,
          sessionContext: {
            sessionIssuer: { type: 'Role', principalId: `AROA${hex(16).toUpperCase()}`, arn: `arn:aws:iam::${account}:role/${role}`, accountId: account, userName: role },
            attributes: { creationDate: time, mfaAuthenticated: 'false' },
          },
        };
      } else if (kind < 0.82) {
        const user = `user-${Math.floor(random() * 5)}`;
        userIdentity = { type: 'IAMUser', principalId: `AIDA${hex(16).toUpperCase()}`, arn: `arn:aws:iam::${account}:user/${user}`, accountId: account, accessKeyId: `AKIA${hex(16).toUpperCase()}`, userName: user };
      } else if (kind < 0.98) {
        userIdentity = { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' };
      } else {
        userIdentity = { type: 'AssumedRole', arn: `arn:aws:sts::${account}:assumed-role/AWSServiceRoleForConfig/x`, accountId: account, sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`, accountId: account } } };
      }
      const failed = random() < 0.05;
      records.push({
        eventVersion: '1.09',
        userIdentity,
        eventTime: time,
        eventSource,
        eventName,
        awsRegion: region,
        sourceIPAddress: `10.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}`,
        userAgent: random() < 0.5 ? 'aws-sdk-java/2.25.1 Linux/5.10 OpenJDK_64-Bit_Server_VM/17' : 'Boto3/1.34.50 md/Botocore#1.34.50 ua/2.0 os/linux#5.10 lang/python#3.12.2',
        ...(failed ? { errorCode: random() < 0.6 ? 'AccessDenied' : 'ThrottlingException', errorMessage: 'User is not authorized to perform this operation' } : {}),
        requestParameters: { bucketName: `data-${account}`, key: `objects/${hex(12)}.parquet` },
        responseElements: null,
        requestID: hex(16).toUpperCase(),
        eventID: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
        readOnly: eventName.startsWith('Get') || eventName.startsWith('Describe') || eventName.startsWith('List'),
        eventType: 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: account,
        eventCategory: 'Management',
        tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: eventSource },
      });
    }
    const name = `${account}_CloudTrail_${region}_${day.join('')}T${String(f % 24).padStart(2, '0')}00Z_${hex(16)}.json.gz`;
    const data = gzipSync(JSON.stringify({ Records: records }));
    fs.writeFileSync(path.join(folder, name), data);
    files += 1;
    bytes += data.length;
  }
  return { files, bytes };
}

/* eslint-disable-next-line @typescript-eslint/no-require-imports */
const { listFiles } = require('./analyze-floor.js') as { listFiles: (dir: string) => string[] };

const ROOT = path.join(__dirname, '../..');
const IAMCTL = path.join(ROOT, 'bin/iamctl.js');
const FLOOR_SCRIPT = path.join(__dirname, 'analyze-floor.js');
const EXIT_PROBE = path.join(__dirname, 'exit-probe.js');

/** One measured process. */
interface ProcessRun {
  readonly events: number;
  /** Wall time from spawn to exit: node's start-up is included, for the floor as for iamctl. */
  readonly seconds: number;
  /** CPU seconds of the process, all threads. */
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
  readonly eventsPerSecond: number;
  readonly peakRssMB: number;
  /** The analyzer's JSON report (analyzer runs). */
  readonly report?: string;
  /** Records the report counts as skipped (analyzer runs). */
  readonly skippedRecords?: number;
}

/**
 * Runs the floor (scripts/bench/analyze-floor.js: read + gunzip + JSON.parse in `workers` threads, fed as the
 * analyzer's pool feeds its workers) or what a user runs (`iamctl analyze --logs DIR --format json`, the built
 * CLI, in a scratch folder without accounts/), each as a fresh process with scripts/bench/exit-probe.js preloaded
 * for its CPU time and peak RSS (VmHWM: worker threads included).
 */
function runProcess(phase: 'floor' | 'analyzer', dir: string, workers: number, env: Readonly<Record<string, string>> = {}): ProcessRun {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'iamctl-bench-run-'));
  try {
    const probe = path.join(scratch, 'probe.json');
    const reportFile = path.join(scratch, 'report.json');
    const args = phase === 'floor' ? [FLOOR_SCRIPT, dir, String(workers)] : [IAMCTL, 'analyze', '--logs', dir, '--format', 'json', '--output', reportFile, '--workers', String(workers)];
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, ['--require', EXIT_PROBE, ...args], { cwd: scratch, encoding: 'utf8', env: { ...process.env, ...env, IAMCTL_BENCH_PROBE: probe }, maxBuffer: 64 * 1024 * 1024 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (child.status !== 0) throw new Error(`${phase} run failed (exit ${child.status}):\n${child.stderr}`);
    if (/running the TypeScript sources/.test(child.stderr)) throw new Error(`iamctl ran from the sources, not the bundle (${child.stderr.trim()}): the figure would not be what users run`);
    const figures = JSON.parse(fs.readFileSync(probe, 'utf8')) as { cpuSeconds: number; peakRssBytes: number };
    const report = phase === 'analyzer' ? fs.readFileSync(reportFile, 'utf8') : undefined;
    const parsed = report === undefined ? undefined : (JSON.parse(report) as { totals: { records: number }; skipped: { records: number } });
    const events = parsed === undefined ? (JSON.parse(child.stdout) as { events: number }).events : parsed.totals.records;
    return {
      events,
      seconds,
      ...figures,
      eventsPerSecond: Math.round(events / seconds),
      peakRssMB: Math.round(figures.peakRssBytes / 1048576),
      ...(report !== undefined ? { report, skippedRecords: parsed!.skipped.records } : {}),
    };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Scanner and JSON.parse reference over the same files, in this thread: true when the snapshots are equal. */
async function verifyIdentical(dir: string): Promise<{ identical: boolean; records: number }> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { UsageAggregator } = require('../../src/core/analyzer') as typeof import('../../src/core/analyzer');
  const { feedLogFile } = require('../../src/io/cloudtrail/decode-log-file') as typeof import('../../src/io/cloudtrail/decode-log-file');
  const { parseLogFile } = require('../../test/analyzer/support/parse-log-file') as typeof import('../../test/analyzer/support/parse-log-file');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const notAfter = '2030-01-01T00:00:00Z';
  const scanned = new UsageAggregator({ notAfter });
  const parsed = new UsageAggregator({ notAfter });
  for (const file of listFiles(dir)) {
    await feedLogFile({ kind: 'path', path: file }, file, scanned);
    parseLogFile(fs.readFileSync(file), file, parsed);
  }
  const a = scanned.snapshot();
  return { identical: JSON.stringify(a) === JSON.stringify(parsed.snapshot()), records: a.recordsRead };
}

/**
 * Per-event CPU in this thread, start-up excluded: gunzip + JSON.parse (the floor's work) against gunzip +
 * field scanner + aggregation (the analyzer's work per file), over the first `files` files, alternating
 * `rounds` times after one warm-up round; the best round of each (the one the neighbours disturbed least).
 */
function measureInThread(dir: string, files: number, rounds: number): Record<string, unknown> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { UsageAggregator } = require('../../src/core/analyzer') as typeof import('../../src/core/analyzer');
  const { RecordScanner } = require('../../src/io/cloudtrail/record-scanner') as typeof import('../../src/io/cloudtrail/record-scanner');
  const { gunzipSync: gunzip } = require('node:zlib') as typeof import('node:zlib');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const compressed = listFiles(dir)
    .slice(0, files)
    .map((f) => fs.readFileSync(f));
  let events = 0;
  let fallbacks = 0;
  let compiled = 0;
  const cpu = (work: () => void) => {
    const t = process.cpuUsage();
    work();
    const used = process.cpuUsage(t);
    return (used.user + used.system) / 1e6;
  };
  const floor = () => {
    for (const data of compressed) events += (JSON.parse(gunzip(data).toString('utf8')) as { Records: unknown[] }).Records.length;
  };
  const ours = () => {
    const aggregator = new UsageAggregator({ notAfter: '2030-01-01T00:00:00Z' });
    for (const data of compressed) {
      const scanner = new RecordScanner({ record: (r) => aggregator.addRecord(r, 'f'), skipRecords: (reason, n) => aggregator.skipRecords('f', reason, n) });
      scanner.push(gunzip(data));
      scanner.finish();
      fallbacks += scanner.fallbacks;
      compiled += scanner.compiledRecords;
    }
  };
  const gunzipOnly = () => {
    for (const data of compressed) gunzip(data);
  };
  const floors: number[] = [];
  const analyzers: number[] = [];
  const gunzips: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    events = 0;
    fallbacks = 0;
    compiled = 0;
    const f = cpu(floor);
    const a = cpu(ours);
    const g = cpu(gunzipOnly);
    if (round === 0) continue;
    floors.push(f);
    analyzers.push(a);
    gunzips.push(g);
  }
  const per100k = (seconds: number) => Math.round((seconds / events) * 1e5 * 1000) / 1000;
  const best = (values: number[]) => Math.min(...values);
  return {
    what: `CPU seconds per 100,000 events in one thread, first ${compressed.length} files, best of ${rounds} alternating rounds (start-up excluded)`,
    events,
    floorSecondsPer100k: per100k(best(floors)),
    analyzerSecondsPer100k: per100k(best(analyzers)),
    gunzipSecondsPer100k: per100k(best(gunzips)),
    ratio: Math.round((best(floors) / best(analyzers)) * 100) / 100,
    pairRatios: floors.map((f, i) => Math.round((f / analyzers[i]) * 100) / 100),
    compiledReaderRecords: compiled,
    fastPathFallbacks: fallbacks,
  };
}

/**
 * The shell words that start trailscraper: its venv script, or, when the venv's interpreter link is gone (a venv
 * made elsewhere), the venv's base interpreter (pyvenv.cfg `home`) with the venv's site-packages: the same pinned code.
 */
function trailscraperCommand(): { readonly shell: string; readonly how: string } | undefined {
  const shebang = fs.readFileSync(TRAILSCRAPER, 'utf8').split('\n')[0].replace(/^#!/, '').trim();
  if (fs.existsSync(shebang)) return { shell: `"${TRAILSCRAPER}"`, how: 'its venv script' };
  const venv = path.join(path.dirname(TRAILSCRAPER), '..');
  const home = /^home\s*=\s*(.+)$/m.exec(fs.readFileSync(path.join(venv, 'pyvenv.cfg'), 'utf8'))?.[1].trim();
  const lib = path.join(venv, 'lib');
  const site = fs.existsSync(lib) ? fs.readdirSync(lib).map((d) => path.join(lib, d, 'site-packages')).find((d) => fs.existsSync(path.join(d, 'trailscraper'))) : undefined;
  const python = home ? path.join(home, 'python3') : undefined;
  if (!python || !fs.existsSync(python) || !site) return undefined;
  return { shell: `PYTHONPATH="${site}" "${python}" -c 'import sys; sys.argv[0] = "trailscraper"; from trailscraper.cli import root_group; sys.exit(root_group())'`, how: `${python} with the venv's site-packages (the venv's interpreter link ${shebang} is gone)` };
}

/** trailscraper select | generate over the first `events` events' files; undefined when it is not installed. */
function runTrailscraper(dir: string, events: number): Record<string, unknown> {
  if (!fs.existsSync(TRAILSCRAPER)) return { installed: false, note: `not installed at ${path.relative(process.cwd(), TRAILSCRAPER)} (python3 -m venv .tools/trailscraper-venv && .tools/trailscraper-venv/bin/pip install trailscraper==0.10.0)` };
  const subset = fs.mkdtempSync(path.join(os.tmpdir(), 'iamctl-bench-trailscraper-'));
  try {
    const files = listFiles(dir).slice(0, Math.ceil(events / EVENTS_PER_FILE));
    // trailscraper skips files whose names are not CloudTrail's (<account>_CloudTrail_<region>_<time>_<id>.json.gz): keep them.
    for (const f of files) fs.copyFileSync(f, path.join(subset, path.basename(f)));
    const selected = path.join(subset, 'selected.json');
    const started = process.hrtime.bigint();
    const command = trailscraperCommand();
    if (command === undefined) return { installed: true, failed: "the venv's interpreter is gone and its base interpreter or site-packages cannot be found" };
    const child = spawnSync('sh', ['-c', `${command.shell} select --log-dir "${subset}" --from "2000-01-01" --to "2100-01-01" > "${selected}" && ${command.shell} generate < "${selected}" > /dev/null`], { encoding: 'utf8' });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (child.status !== 0) return { installed: true, failed: child.stderr.slice(0, 500) };
    // Count what it really read, so a skipped file cannot inflate its figure.
    const counted = (JSON.parse(fs.readFileSync(selected, 'utf8')) as { Records: unknown[] }).Records.length;
    return { installed: true, version: '0.10.0', ran: command.how, filesGiven: files.length, events: counted, seconds: Math.round(seconds * 10) / 10, eventsPerSecond: Math.round(counted / seconds) };
  } finally {
    fs.rmSync(subset, { recursive: true, force: true });
  }
}

/** Writes one plain envelope file of about `megabytes` MB; returns its record count. */
function writeBigFile(file: string, megabytes: number): number {
  const fd = fs.openSync(file, 'w');
  const target = megabytes * 1024 * 1024;
  let written = 0;
  let records = 0;
  const one = (i: number) =>
    JSON.stringify({
      eventVersion: '1.09',
      userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111111111111:assumed-role/app/s', accountId: '111111111111', sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111111111111:role/app', accountId: '111111111111' } } },
      eventTime: new Date(START + i * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventSource: 's3.amazonaws.com',
      eventName: i % 3 === 0 ? 'ListBuckets' : 'GetBucketLocation',
      requestParameters: { bucketName: `b-${i % 1000}`, padding: 'x'.repeat(600) },
      recipientAccountId: '111111111111',
    });
  fs.writeSync(fd, '{"Records":[');
  const parts: string[] = [];
  while (written < target) {
    parts.push((records === 0 ? '' : ',') + one(records));
    records += 1;
    if (parts.length === 10_000) {
      const chunk = parts.join('');
      fs.writeSync(fd, chunk);
      written += chunk.length;
      parts.length = 0;
    }
  }
  fs.writeSync(fd, `${parts.join('')}]}`);
  fs.closeSync(fd);
  return records;
}

async function runBigFile(megabytes: number, workers: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iamctl-bench-bigfile-'));
  try {
    const file = path.join(dir, 'big.json');
    const expected = writeBigFile(file, megabytes);
    const run = runProcess('analyzer', dir, workers);
    const result = {
      benchmark: 'analyze-big-file',
      machine: machine(),
      fileBytes: fs.statSync(file).size,
      recordsWritten: expected,
      recordsRead: run.events,
      recordsCounted: run.events - (run.skippedRecords ?? 0),
      seconds: Math.round(run.seconds * 10) / 10,
      peakRssMB: run.peakRssMB,
      pass: run.events === expected && run.skippedRecords === 0 && run.peakRssBytes < MAX_RSS_BYTES,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function machine(): Record<string, unknown> {
  return { cpuModel: os.cpus()[0]?.model ?? 'unknown', cpus: os.availableParallelism(), memoryGB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10) };
}

async function main(): Promise<void> {
  const workers = Number(flag('workers', String(os.availableParallelism())));
  // What users run is the bundle: build it, so the figure is never the TypeScript sources through tsx.
  /* eslint-disable-next-line @typescript-eslint/no-require-imports */
  await (require('../build.js') as { buildCli: () => Promise<unknown> }).buildCli();
  const bigFile = Number(flag('big-file-mb', '0'));
  if (bigFile > 0) return runBigFile(bigFile, workers);
  const events = Number(flag('events', '1000000'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iamctl-bench-analyze-'));
  try {
    const t = process.hrtime.bigint();
    const generated = generate(dir, events);
    const generateSeconds = Number(process.hrtime.bigint() - t) / 1e9;
    // Floor and analyzer alternate, each in a fresh process. On a shared machine one pair mostly measures
    // the neighbours, so the ratio reported is the median of the pairwise ratios (analyzer run / the floor
    // run just before it); the best run of each is reported beside it.
    const repeat = Number(flag('repeat', '3'));
    // One untimed run of each first: the page cache holds the logs for both, and the CLI's V8 code cache
    // (written by its first run after a build, bin/iamctl.js) is in place, as on every run after a user's first.
    runProcess('floor', dir, workers);
    runProcess('analyzer', dir, workers);
    const floors: ProcessRun[] = [];
    const analyzers: ProcessRun[] = [];
    for (let i = 0; i < repeat; i++) {
      floors.push(runProcess('floor', dir, workers));
      analyzers.push(runProcess('analyzer', dir, workers));
    }
    // The same analysis with the JavaScript readers only: its report must be the same, byte for byte.
    const jsOnly = runProcess('analyzer', dir, workers, { IAMCTL_RECORD_SCANNER: 'js' });
    const reportsIdentical = analyzers.every((a) => a.report === jsOnly.report);
    const best = (runs: ProcessRun[]) => runs.reduce((a, b) => (b.eventsPerSecond > a.eventsPerSecond ? b : a));
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const pairRatios = analyzers.map((a, i) => Math.round((a.eventsPerSecond / floors[i].eventsPerSecond) * 100) / 100);
    const strip = ({ report: _report, ...run }: ProcessRun) => run;
    const floor = { ...strip(best(floors)), allRunsEventsPerSecond: floors.map((r) => r.eventsPerSecond), medianEventsPerSecond: median(floors.map((r) => r.eventsPerSecond)) };
    const analyzer = {
      ...strip(best(analyzers)),
      allRunsEventsPerSecond: analyzers.map((r) => r.eventsPerSecond),
      medianEventsPerSecond: median(analyzers.map((r) => r.eventsPerSecond)),
      maxPeakRssMB: Math.max(...analyzers.map((r) => r.peakRssMB)),
    };
    const ratio = median(pairRatios);
    // The same pairs in CPU time of the whole process (both sides' start-up included): less disturbed by the neighbours.
    const cpuPairRatios = analyzers.map((a, i) => Math.round((floors[i].cpuSeconds / a.cpuSeconds) * 100) / 100);
    const loadBefore = os.loadavg().map((l) => Math.round(l * 10) / 10);
    const verified = await verifyIdentical(dir);
    const inThread = measureInThread(dir, Number(flag('in-thread-files', '100')), 5);
    const trailscraper = runTrailscraper(dir, Number(flag('trailscraper-events', '100000')));
    const result = {
      benchmark: 'analyze',
      machine: machine(),
      workers,
      events,
      files: generated.files,
      compressedBytesPerEvent: Math.round(generated.bytes / events),
      generateSeconds: Math.round(generateSeconds * 10) / 10,
      floor: { what: 'node scripts/bench/analyze-floor.js: read + gunzip + JSON.parse, same files, same workers, whole process', ...floor },
      analyzer: { what: 'node bin/iamctl.js analyze --logs DIR --format json (the built CLI), whole process', ...analyzer },
      javascriptReadersOnly: { what: 'the same with IAMCTL_RECORD_SCANNER=js (no compiled batch reader), one run', ...strip(jsOnly), ratioToFloor: Math.round((jsOnly.eventsPerSecond / floor.medianEventsPerSecond) * 100) / 100 },
      pairRatios,
      ratioToFloor: ratio,
      cpu: {
        what: 'CPU seconds of the whole process (all threads, start-up included) per run, same pairs',
        floorSeconds: floors.map((r) => Math.round(r.cpuSeconds * 100) / 100),
        analyzerSeconds: analyzers.map((r) => Math.round(r.cpuSeconds * 100) / 100),
        pairRatios: cpuPairRatios,
        ratioToFloor: median(cpuPairRatios),
      },
      ratioOfBestRuns: Math.round((analyzer.eventsPerSecond / floor.eventsPerSecond) * 100) / 100,
      identicalToJsonParse: verified.identical,
      reportsIdenticalWithoutCompiledReader: reportsIdentical,
      inThread,
      loadAverageAfterRuns: loadBefore,
      trailscraper: {
        what: 'trailscraper select | generate on the first files (one process, whole files)',
        ...trailscraper,
        ...(typeof trailscraper.eventsPerSecond === 'number' ? { ratioAnalyzerToTrailscraper: Math.round((analyzer.eventsPerSecond / trailscraper.eventsPerSecond) * 10) / 10 } : {}),
      },
      targets: { minRatioToFloor: MIN_RATIO, maxPeakRssMB: MAX_RSS_BYTES / 1048576 },
      pass: ratio >= MIN_RATIO && analyzer.maxPeakRssMB * 1048576 < MAX_RSS_BYTES && verified.identical && reportsIdentical,
    };
    // The common summary first (scripts/bench/bench-result.ts), this benchmark's own fields after it.
    const summary = summarizeBench({
      benchmark: 'analyze',
      size: `${events.toLocaleString('en')} events`,
      figure: { what: `iamctl analyze (built CLI, whole process), ${workers} worker threads, median of ${repeat}`, value: analyzer.medianEventsPerSecond, unit: 'events/s' },
      better: 'higher',
      baseline: { what: `node + read + gunzip + JSON.parse, same files, same ${workers} worker threads, whole process, median of ${repeat}`, value: floor.medianEventsPerSecond, unit: 'events/s' },
      baselineNote: `median of pairwise ratios ${ratio}× (runs alternate: ${pairRatios.join(', ')}); CPU time ${median(cpuPairRatios)}× (${cpuPairRatios.join(', ')}); in-thread per event ${String(inThread.ratio)}×; JavaScript readers only ${Math.round((jsOnly.eventsPerSecond / floor.medianEventsPerSecond) * 100) / 100}×; peak RSS ${analyzer.maxPeakRssMB} MB; identical to JSON.parse: ${verified.identical}; same report without the compiled reader: ${reportsIdentical}; target ≥ ${MIN_RATIO}×`,
    });
    process.stdout.write(`${JSON.stringify({ ...result, ...summary, threads: { analyzer: workers, floor: workers, note: 'both use the same worker threads, fed the same batches; the main thread only feeds and merges; both are timed from spawn to exit' } }, null, 2)}\n`);
  } finally {
    if (process.argv.includes('--keep')) process.stderr.write(`kept the generated logs in ${dir}\n`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 2;
});
