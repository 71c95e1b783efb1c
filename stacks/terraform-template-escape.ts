/**
 * Terraform reads `${...}` and `%{...}` inside every string of a `.tf.json` file as template syntax
 * (interpolation and directives). The platform's literal strings (IAM policy variables such as
 * `${aws:username}`, tags, descriptions, file contents) must reach Terraform as `$${` and `%%{`, so
 * Terraform hands AWS the text we wrote. cdktf's own references stay interpolations: before the stack
 * resolves, a reference is a token marker (`${TfToken[TOKEN.12]}`) inside the string; only the text
 * around the markers is escaped.
 *
 * This is the only place the escape happens ({@link PlatformStack} applies it to every element of
 * every stack). Everything before it (resolved model, constructs) holds documents as AWS stores them;
 * a reader of a synthesized cdk.tf.json undoes the escape (src/core/drift `unescapeTerraformTemplate`).
 * @see https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences-1
 */

/** cdktf's marker of an unresolved string token (`${TfToken[TOKEN.12]}`), from cdktf's tokens/private/encoding. */
const TOKEN_MARKER = /\$\{TfToken\[[^\]]*\]\}/g;

/** Escapes template sequences in text that holds no token markers. */
function escapeLiteralText(text: string): string {
  // Replacement functions: in a replacement string `$$` would mean one `$`.
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/**
 * Escapes `${` and `%{` in the literal parts of a (possibly tokenized) string; token markers are kept
 * as they are, so references still resolve to interpolations.
 */
export function escapeTerraformTemplate(value: string): string {
  if (!value.includes('{')) return value;
  let out = '';
  let last = 0;
  for (const match of value.matchAll(TOKEN_MARKER)) {
    out += escapeLiteralText(value.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + escapeLiteralText(value.slice(last));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of an element's unresolved Terraform JSON with every literal string (and object key)
 * escaped. Tokens that are objects (IResolvable, Lazy) and other class instances are kept as they
 * are: they resolve to references or to values cdktf already renders.
 */
export function escapeTerraformValue(value: unknown): unknown {
  if (typeof value === 'string') return escapeTerraformTemplate(value);
  if (Array.isArray(value)) return value.map(escapeTerraformValue);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[escapeTerraformTemplate(key)] = escapeTerraformValue(inner);
    return out;
  }
  return value;
}
