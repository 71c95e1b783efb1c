/**
 * Generated adversarial CloudTrail log files for the field scanner's property tests: records that shuffle
 * their keys, nest objects and arrays at random, write characters as escapes (keys included), hold unicode,
 * quotes, backslashes and braces in strings, repeat keys, put the analyzer's key names inside nested objects
 * (requestParameters.eventName, responseElements.userIdentity, ...) and inside strings, and give the fields
 * the analyzer reads values of every JSON type. Seeded: the same seed gives the same file.
 */

/** Records per generated file. */
export const RECORDS_PER_FILE = 25;

/** Deterministic pseudo-random numbers (an LCG): every run sees the same cases. */
export function makeRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json } | Members;
/** An object written member by member, so keys can repeat (JSON.parse keeps the last). */
export class Members {
  constructor(readonly members: [string, Json][]) {}
}

const NAMES = ['eventSource', 'eventName', 'eventTime', 'eventType', 'errorCode', 'userIdentity', 'requestParameters', 'Records', 'type', 'arn', 'accountId', 'sessionContext', 'sessionIssuer', 'tags', 'TagSpecifications', 'tagList'];
const ODD_TEXT = ['', 'a"b', 'back\\slash', '{"eventName":"Decoy"}', '"eventSource":"evil.amazonaws.com"', '}]},{', 'ünïcødé ✓ 日本', '\u2028\u2029', 'tab\tnew\nline', '\u0000\u001f', '😀 surrogate', '\\"', '\\\\', 'a\\', '/slash/'];

export class Generator {
  /** No whitespace between tokens (JSON lines: one record per line). */
  flat = false;

  constructor(private readonly random: () => number) {}

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  text(): string {
    if (this.chance(0.3)) return this.pick(ODD_TEXT);
    if (this.chance(0.2)) return this.pick(NAMES);
    return Math.floor(this.random() * 1e9).toString(36).repeat(1 + this.int(this.chance(0.1) ? 40 : 3));
  }

  /** Any JSON value, nesting at most `depth` more levels; decoys carry the analyzer's key names. */
  value(depth: number): Json {
    const r = this.random();
    if (depth <= 0 || r < 0.45) {
      const s = this.int(7);
      if (s === 0) return null;
      if (s === 1) return this.chance(0.5);
      if (s === 2) return this.pick([0, -1, 1.5, 1e21, -2.5e-7, 123456789012]);
      return this.text();
    }
    if (r < 0.7) return Array.from({ length: this.int(4) }, () => this.value(depth - 1));
    const members: [string, Json][] = [];
    for (let i = this.int(5); i > 0; i--) members.push([this.chance(0.4) ? this.pick(NAMES) : this.text(), this.value(depth - 1)]);
    return new Members(members);
  }

  /** A value for a field the analyzer reads: usually a plausible string, sometimes any JSON. */
  field(choices: readonly string[]): Json {
    return this.chance(0.9) ? this.pick(choices) : this.value(2);
  }

  issuer(account: string): Json {
    const role = this.pick(['app', 'ci', 'aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig']);
    const members: [string, Json][] = [
      ['type', this.field(['Role', 'IAMUser', 'Root'])],
      ['arn', this.field([`arn:aws:iam::${account}:role/${role}`, `arn:aws:iam::${account}:user/u`, ''])],
      ['principalId', this.text()],
      ['accountId', account],
    ];
    if (this.chance(0.3)) members.push(['nested', this.value(3)]);
    return new Members(members);
  }

  identity(account: string): Json {
    if (this.chance(0.08)) return this.value(2);
    const type = this.field(['AssumedRole', 'AssumedRole', 'IAMUser', 'Root', 'AWSService', 'FederatedUser', 'WebIdentityUser']);
    const members: [string, Json][] = [
      ['type', type],
      ['principalId', this.text()],
      ['arn', this.field([`arn:aws:sts::${account}:assumed-role/app/s`, `arn:aws:iam::${account}:user/u`, `arn:aws:iam::${account}:root`])],
      ['accountId', this.chance(0.9) ? account : this.value(1)],
    ];
    if (this.chance(0.7)) {
      const session: [string, Json][] = [['attributes', new Members([['creationDate', '2026-05-01T00:00:00Z'], ['mfaAuthenticated', 'false']])]];
      if (this.chance(0.9)) session.push(['sessionIssuer', this.chance(0.95) ? this.issuer(account) : this.value(2)]);
      // A decoy: sessionIssuer one level too deep must not count.
      if (this.chance(0.2)) session.push(['webIdFederationData', new Members([['sessionIssuer', this.issuer('999999999999')]])]);
      members.push(['sessionContext', this.chance(0.95) ? new Members(session) : this.value(2)]);
    }
    // Decoys: the identity's keys one level down.
    if (this.chance(0.2)) members.push(['onBehalfOf', new Members([['type', 'IAMUser'], ['arn', 'arn:aws:iam::999999999999:user/decoy']])]);
    return new Members(members);
  }

  parameters(): Json {
    if (this.chance(0.1)) return this.value(2);
    const members: [string, Json][] = [];
    for (let i = this.int(4); i > 0; i--) members.push([this.text(), this.value(3)]);
    if (this.chance(0.4)) members.push([this.pick(['tags', 'Tags', 'tagSpecificationSet', 'tagSpecifications', 'TagSpecifications', 'tagList', 'TagList']), this.pick<Json>([[], {}, '', null, false, true, 0, 'x', [new Members([['key', 'k']])], new Members([['k', 'v']]), ' '])]);
    // Decoys: the record's keys inside requestParameters (and tags one level down).
    if (this.chance(0.3)) members.push(['eventName', 'DecoyName']);
    if (this.chance(0.2)) members.push(['userIdentity', new Members([['type', 'IAMUser'], ['arn', 'arn:aws:iam::999999999999:user/decoy']])]);
    if (this.chance(0.2)) members.push(['nested', new Members([['tags', [new Members([['key', 'k']])]], ['eventSource', 'decoy.amazonaws.com']])]);
    return new Members(members);
  }

  record(): Json {
    const account = this.pick(['111111111111', '222222222222']);
    const members: [string, Json][] = [
      ['eventVersion', '1.09'],
      ['userIdentity', this.identity(account)],
      ['eventTime', this.field(['2026-05-01T10:00:00Z', '2026-06-30T23:59:59Z', '2026-05-01T10:00:00.123Z', '2026-05-01T12:00:00+02:00', 'yesterday', '2001-01-01T00:00:00Z', '2099-01-01T00:00:00Z'])],
      ['eventSource', this.field(['s3.amazonaws.com', 'iam.amazonaws.com', 'sts.amazonaws.com', 'signin.amazonaws.com', 'ec2.amazonaws.com', ''])],
      ['eventName', this.field(['GetObject', 'CreateRole', 'AssumeRole', 'ConsoleLogin', 'RunInstances', 'CreateTags', ''])],
      ['awsRegion', 'eu-west-1'],
      ['userAgent', this.text()],
      ['requestParameters', this.parameters()],
      ['responseElements', this.chance(0.5) ? null : this.value(4)],
      ['eventType', this.field(['AwsApiCall', 'AwsServiceEvent', 'AwsConsoleSignIn', 'AwsCloudTrailInsight'])],
      ['recipientAccountId', account],
    ];
    if (this.chance(0.3)) members.push(['errorCode', this.field(['AccessDenied', 'Client.UnauthorizedOperation', 'ThrottlingException', 'NoSuchKey', ''])]);
    if (this.chance(0.2)) members.push(['resources', this.value(3)]);
    if (this.chance(0.1)) members.push(['additionalEventData', this.value(6)]);
    // Repeated keys: JSON.parse keeps the last.
    if (this.chance(0.1)) members.push(['eventName', this.field(['DeleteObject', 'PutObject'])]);
    if (this.chance(0.05)) members.push(['userIdentity', this.identity(account)]);
    // A record holding `Records` (JSON lines read such a line as an envelope, on purpose; JSON.parse of lines does not).
    if (!this.flat && this.chance(0.02)) members.push(['Records', this.value(2)]);
    for (let i = members.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [members[i], members[j]] = [members[j], members[i]];
    }
    return new Members(members);
  }

  /** JSON text of a string: some characters as \u escapes (or `\/`), the rest as JSON.stringify writes them. */
  writeString(s: string, escapes: number): string {
    let out = '"';
    for (const ch of s) {
      if (this.chance(escapes)) {
        if (ch === '/' && this.chance(0.5)) out += '\\/';
        else for (let k = 0; k < ch.length; k++) out += `\\u${ch.charCodeAt(k).toString(16).padStart(4, '0')}`;
      } else out += JSON.stringify(ch).slice(1, -1);
    }
    return `${out}"`;
  }

  space(): string {
    if (this.flat) return '';
    return this.chance(0.15) ? this.pick([' ', '\n', '\t', '\r\n  ']) : '';
  }

  write(value: Json, escapes: number): string {
    if (value instanceof Members) {
      const body = value.members.map(([k, v]) => `${this.space()}${this.writeString(k, escapes / 4)}${this.space()}:${this.space()}${this.write(v, escapes)}${this.space()}`);
      return `{${body.join(',')}${body.length === 0 ? this.space() : ''}}`;
    }
    if (Array.isArray(value)) return `[${value.map((v) => `${this.space()}${this.write(v, escapes)}${this.space()}`).join(',')}]`;
    if (typeof value === 'string') return this.writeString(value, escapes);
    return JSON.stringify(value);
  }
}

export function makeFile(seed: number): { text: Buffer; escapes: number; layout: string } {
  const g = new Generator(makeRandom(seed));
  const escapes = g.pick([0, 0, 0.02, 0.2]);
  const layout = g.pick(['envelope', 'envelope', 'array', 'lines']);
  g.flat = layout === 'lines';
  const records = Array.from({ length: RECORDS_PER_FILE }, () => g.write(g.record(), escapes));
  const text = layout === 'envelope' ? `{"Records":[${records.join(',')}]}` : layout === 'array' ? `[${records.join(`,${g.space()}`)}]` : records.join('\n');
  return { text: Buffer.from(text, 'utf8'), escapes, layout };
}

