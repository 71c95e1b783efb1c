import { findJsonLocation, locateJsonValues } from './json-locations';

describe('locateJsonValues', () => {
  const text = ['{', '  "Version": "2012-10-17",', '  "Statement": [', '    {', '      "Action": ["s3:GetObject", "s3:PutObject"],', '      "Condition": { "StringLike": { "gitlab.com:sub": "x" } }', '    }', '  ]', '}'].join('\n');
  const locations = locateJsonValues(text);

  it('gives the line and column of values under the paths the linter reports', () => {
    expect(findJsonLocation(locations, '$.Statement[0].Action[1]')).toEqual({ line: 5, column: 34 });
    expect(findJsonLocation(locations, '$.Statement[0].Condition.StringLike["gitlab.com:sub"]')).toEqual({ line: 6, column: 56 });
  });

  it('falls back to the enclosing value for a path inside a string element', () => {
    expect(findJsonLocation(locations, '$.Statement[0].Action[1].Sub')).toEqual({ line: 5, column: 34 });
  });
});
