import { loadActionCatalog } from '../../io/catalog';
import { arnMatchesTemplate, compileArnTemplateSet, searchArnMatch } from './arn-pattern';

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

  it('compileArnTemplateSet answers like the exact search over each template of the set, for every action of the catalog', () => {
    const catalog = loadActionCatalog();
    const differences: string[] = [];
    let compared = 0;
    let matched = 0;
    // Concrete fillings (the one-regex path) and patterns (the per-template path).
    const fillings = ['x1', '', 'a:b', 'a/b', '111122223333', '*', 'a?', '${aws:username}'];
    for (const service of catalog.listServices()) {
      const actions = catalog.listActions(service);
      const sets = actions.map((a) => [...new Set(a.resourceTypes.flatMap((t) => t.arnPatterns))]);
      const all = [...new Set(sets.flat())];
      const fill = (templates: readonly string[]): string[] => templates.flatMap((t) => fillings.map((f) => t.replace(/\$\{[^}]+\}/g, f)));
      // One set per distinct template list of an action, and the service's whole list (an element such as `svc:*`).
      const distinct = [...new Map([...sets, all].map((x) => [x.join('\n'), x])).values()];
      for (const [i, set] of distinct.entries()) {
        const matches = compileArnTemplateSet(set);
        // ARNs of its own templates, and of a few other templates of the service (mostly not matching).
        const others = [0, 1, 2, 3].map((k) => all[(i * 7 + k * 13) % Math.max(1, all.length)]).filter((t) => t !== undefined);
        for (const arn of [...fill(set.slice(0, 6)), ...fill(others), `arn:aws:${service}:::`, '*']) {
          compared += 1;
          const expected = set.some((t) => searchArnMatch(arn, t));
          if (expected) matched += 1;
          // Twice: the second answer of a pattern comes from the set's cache.
          if (matches(arn) !== expected || matches(arn) !== expected) differences.push(`${arn} vs [${set.join(', ')}]`);
        }
      }
    }
    expect(compared).toBeGreaterThan(100000);
    expect(matched).toBeGreaterThan(30000);
    expect(differences.slice(0, 10)).toEqual([]);
  });
});
