/**
 * Matching a policy's Resource ARN (with `*`, `?` and `${aws:username}`-style variables) against the
 * ARN templates of the Service Authorization Reference (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).
 * The question is "can one concrete ARN satisfy both", answered exactly over the two token lists.
 */

type PolicyToken = { readonly kind: 'char'; readonly value: string } | { readonly kind: 'any' } | { readonly kind: 'one' };
type TemplateToken = { readonly kind: 'char'; readonly value: string } | { readonly kind: 'slot'; readonly forbidden: string };

/** Template variables whose values can never contain these characters (names are validated by the services). */
const RESTRICTED_SLOTS: ReadonlyMap<string, string> = new Map([
  ['partition', ':/'],
  ['region', ':/'],
  ['account', ':/'],
  ['accountid', ':/'],
  ['bucketname', ':/'],
]);

/** Splits a policy resource string into tokens; policy variables `${...}` match anything, `${*}` `${?}` `${$}` are literals. */
function tokenizePolicyArn(arn: string): PolicyToken[] {
  const out: PolicyToken[] = [];
  for (let i = 0; i < arn.length; i++) {
    const c = arn[i];
    if (c === '$' && arn[i + 1] === '{') {
      const end = arn.indexOf('}', i + 2);
      if (end > 0) {
        const inner = arn.slice(i + 2, end);
        if (inner === '*' || inner === '?' || inner === '$') out.push({ kind: 'char', value: inner });
        else out.push({ kind: 'any' });
        i = end;
        continue;
      }
    }
    if (c === '*') out.push({ kind: 'any' });
    else if (c === '?') out.push({ kind: 'one' });
    else out.push({ kind: 'char', value: c });
  }
  return out;
}

/** Splits an ARN template into literal characters and `${Variable}` slots. */
function tokenizeTemplate(template: string): TemplateToken[] {
  const out: TemplateToken[] = [];
  for (let i = 0; i < template.length; i++) {
    if (template[i] === '$' && template[i + 1] === '{') {
      const end = template.indexOf('}', i + 2);
      if (end > 0) {
        const name = template.slice(i + 2, end).toLowerCase();
        const isLast = end === template.length - 1;
        // A trailing slot takes the rest of the ARN (paths, qualifiers); an inner one stops at the next ':'.
        out.push({ kind: 'slot', forbidden: RESTRICTED_SLOTS.get(name) ?? (isLast ? '' : ':') });
        i = end;
        continue;
      }
    }
    out.push({ kind: 'char', value: template[i] });
  }
  return out;
}

/** A template compiled once: its tokens (for patterns with wildcards) and an anchored regex (for concrete ARNs). */
interface CompiledTemplate {
  readonly tokens: TemplateToken[];
  readonly regex: RegExp;
  /** The regex's source without its anchors, to join several templates into one regex. */
  readonly body: string;
  /** Answers for policy ARNs with wildcards or variables, by ARN; policies repeat ARNs. */
  readonly answers: Map<string, boolean>;
}

const REGEX_SPECIALS = /[.*+?^${}()|[\]\\/]/g;

/**
 * The regex source a concrete ARN (no `*`, `?` or `${...}`) must match, anchored by the caller: literal characters as they are, a slot as one or
 * more characters outside its forbidden set. Equivalent to {@link computeArnMatch} when every policy token is a
 * character (a slot there also consumes at least one character), and a native regex instead of a search per call.
 */
function compileTemplateBody(tokens: readonly TemplateToken[]): string {
  let source = '';
  for (const t of tokens) {
    if (t.kind === 'char') source += t.value.replace(REGEX_SPECIALS, '\\$&');
    else source += t.forbidden === '' ? '[\\s\\S]+' : `[^${t.forbidden.replace(/[\]\\^-]/g, '\\$&')}]+`;
  }
  return source;
}

/** Compiled templates; the reference has a few thousand. */
const templateCache = new Map<string, CompiledTemplate>();
const MAX_CACHED_ANSWERS = 5000;

function compileTemplate(template: string): CompiledTemplate {
  let c = templateCache.get(template);
  if (!c) {
    const tokens = tokenizeTemplate(template);
    const body = compileTemplateBody(tokens);
    c = { tokens, regex: new RegExp(`^${body}$`), body, answers: new Map() };
    templateCache.set(template, c);
  }
  return c;
}

/** True when the policy resource has no wildcard and no policy variable: it is one concrete ARN. */
function isConcrete(policyArn: string): boolean {
  return !policyArn.includes('*') && !policyArn.includes('?') && !policyArn.includes('${');
}

/**
 * True when some concrete ARN matches both the policy resource pattern and the ARN template.
 * Characters compare case-sensitively except the `arn:` prefix and service segment rules built into templates.
 */
export function arnMatchesTemplate(policyArn: string, template: string): boolean {
  const compiled = compileTemplate(template);
  if (isConcrete(policyArn)) return compiled.regex.test(policyArn);
  const known = compiled.answers.get(policyArn);
  if (known !== undefined) return known;
  const answer = computeArnMatch(policyArn, compiled.tokens);
  if (compiled.answers.size >= MAX_CACHED_ANSWERS) compiled.answers.clear();
  compiled.answers.set(policyArn, answer);
  return answer;
}

/**
 * A test of policy resources against a set of ARN templates at once, compiled once per set: true when
 * {@link arnMatchesTemplate} is true for at least one template. A concrete ARN is tested with one regex of the
 * templates' alternatives (one native match instead of one per template); a pattern asks each template.
 * Tested against the exact search (src/core/catalog/arn-pattern.test.ts).
 */
export function compileArnTemplateSet(templates: readonly string[]): (policyArn: string) => boolean {
  if (templates.length === 0) return () => false;
  const list = [...templates];
  const any = new RegExp(`^(?:${list.map((t) => compileTemplate(t).body).join('|')})$`);
  // Answers for patterns, by pattern: policies repeat their ARN patterns, and a pattern asks every template.
  const answers = new Map<string, boolean>();
  return (policyArn) => {
    if (isConcrete(policyArn)) return any.test(policyArn);
    let answer = answers.get(policyArn);
    if (answer === undefined) {
      answer = false;
      for (const t of list) {
        if (arnMatchesTemplate(policyArn, t)) {
          answer = true;
          break;
        }
      }
      if (answers.size >= MAX_CACHED_ANSWERS) answers.clear();
      answers.set(policyArn, answer);
    }
    return answer;
  };
}

/**
 * The exact search alone, without the regex fast path and the caches: the reference the fast path is tested
 * against (src/core/catalog/arn-pattern.test.ts). Not for production use: it is slower.
 */
export function searchArnMatch(policyArn: string, template: string): boolean {
  return computeArnMatch(policyArn, tokenizeTemplate(template));
}

/** The exact search over both token lists (any policy pattern). */
function computeArnMatch(policyArn: string, tokens: readonly TemplateToken[]): boolean {
  const p = tokenizePolicyArn(policyArn);
  // State: position in p, position in t, whether the current template slot has consumed at least one char.
  const memo = new Map<number, boolean>();
  const width = tokens.length + 1;
  const visit = (i: number, j: number, consumed: 0 | 1): boolean => {
    const id = (i * width + j) * 2 + consumed;
    const known = memo.get(id);
    if (known !== undefined) return known;
    memo.set(id, false);
    let result = false;
    if (i === p.length && j === tokens.length) result = true;
    const pt = p[i];
    const tt = tokens[j];
    // Epsilon moves: a policy `*` may match nothing; a slot that consumed something may end.
    if (!result && pt?.kind === 'any' && visit(i + 1, j, consumed)) result = true;
    if (!result && tt?.kind === 'slot' && consumed === 1 && visit(i, j + 1, 0)) result = true;
    // Consume one character on both sides.
    if (!result && pt && tt) {
      if (tt.kind === 'char') {
        if (pt.kind === 'char') result = pt.value === tt.value && visit(i + 1, j + 1, 0);
        else if (pt.kind === 'one') result = visit(i + 1, j + 1, 0);
        else result = visit(i, j + 1, 0);
      } else if (pt.kind === 'char') {
        result = !tt.forbidden.includes(pt.value) && visit(i + 1, j, 1);
      } else if (pt.kind === 'one') {
        result = visit(i + 1, j, 1);
      } else {
        result = visit(i, j, 1);
      }
    }
    memo.set(id, result);
    return result;
  };
  return visit(0, 0, 0);
}
