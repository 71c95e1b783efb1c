/** The Markdown note stays under GitLab's note size limit, saying what it left out. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildInMemoryCatalog, type InMemoryCatalogSpec } from '../../src/core/catalog';
import { diffAccessModels, renderDiffMarkdown, type AccessModel } from '../../src/core/diff';

const FIXTURES = join(__dirname, '..', 'fixtures', 'diff');
const catalog = buildInMemoryCatalog(JSON.parse(readFileSync(join(FIXTURES, 'catalog.json'), 'utf8')) as InMemoryCatalogSpec);
const c = JSON.parse(readFileSync(join(FIXTURES, 'cases', 'add-s3-star-on-one-bucket.json'), 'utf8')) as { base: AccessModel; head: AccessModel };

describe('renderDiffMarkdown', () => {
  const diff = diffAccessModels(c.base, c.head, { catalog });
  const full = renderDiffMarkdown(diff);

  it('starts with the marker and names the verdict, account and role', () => {
    expect(full.split('\n').slice(0, 2)).toEqual(['<!-- iamctl:access-diff -->', '## IAM access diff: `new-access` (new access)']);
    expect(full).toContain('### app-prod (111111111111): `new-access`');
    expect(full).toContain('| + | role `app-worker` | allow-added | written `s3:*`: `s3:DeleteObject` (Write), `s3:GetObject` (Read, data-exfiltration)');
  });

  it('leaves out the tables under a small limit and says so', () => {
    const limit = full.indexOf('### app-prod') + 10;
    const small = renderDiffMarkdown(diff, limit);
    expect(small.length).toBeLessThanOrEqual(limit);
    expect(small).not.toContain('### app-prod');
    expect(small).toContain("_Truncated at the note size limit; see the job's JSON report._");
  });
});
