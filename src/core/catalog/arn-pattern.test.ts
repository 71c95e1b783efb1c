import { loadActionCatalog } from '../../io/catalog';
import { arnMatchesTemplate, searchArnMatch } from './arn-pattern';

describe('arnMatchesTemplate', () => {
  it('needs at least one character per template variable, and keeps restricted variables inside their segment', () => {
    const bucket = 'arn:${Partition}:s3:::${BucketName}';
    const object = 'arn:${Partition}:s3:::${BucketName}/${ObjectName}';
    const role = 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}';
    const cases: [string, string, boolean][] = [
      ['arn:aws:s3:::my-bucket', bucket, true],
      ['arn:aws:s3:::', bucket, false],
      ['arn:aws:s3:::my-bucket/', object, false],
      ['arn:aws:s3:::my-bucket/key', bucket, false],
      ['arn:aws:s3:::my-bucket/a/b:c', object, true],
      ['arn:aws:s3:::a:b/key', object, false],
      ['arn:aws:iam::111122223333:role/app', role, true],
      ['arn:aws:iam:::role/app', role, false],
      ['arn:aws:iam::111122223333:role/', role, false],
      ['arn:aws:iam::111122223333:role/path/app', role, true],
      ['arn:aws:s3:::bucket*', object, true],
      ['arn:aws:s3:::${aws:username}', bucket, true],
      ['arn:aws:s3:::bucket-?', bucket, true],
      ['arn:aws:s3:::bucket.with+regex(chars)', bucket, true],
    ];
    expect(cases.map(([arn, t]) => [arn, t, arnMatchesTemplate(arn, t)])).toEqual(cases);
  });

  it('answers like the exact search for concrete ARNs made from every template of the catalog', () => {
    const catalog = loadActionCatalog();
    const differences: string[] = [];
    let compared = 0;
    // Fillings that probe the slot rules: ordinary, empty, with the separators a restricted slot refuses.
    const fillings = ['x1', '', 'a:b', 'a/b', '111122223333'];
    for (const service of catalog.listServices()) {
      const templates = [...new Set(catalog.listActions(service).flatMap((a) => a.resourceTypes.flatMap((t) => t.arnPatterns)))];
      const arns = templates.flatMap((t) => fillings.map((f) => t.replace(/\$\{[^}]+\}/g, f)));
      for (const arn of arns) {
        for (const t of templates) {
          compared += 1;
          if (arnMatchesTemplate(arn, t) !== searchArnMatch(arn, t)) differences.push(`${arn} vs ${t}`);
        }
      }
    }
    expect(compared).toBeGreaterThan(10000);
    expect(differences.slice(0, 10)).toEqual([]);
  });
});
