import { isIdcCmkError } from '../../../core/errors';
import { applyIgnoreRules, globMatch, matchIgnoreRule, parseIgnoreFile } from '../../../drift/ignore';
import type { Finding } from '../../../drift/model';

const finding = (over: Partial<Finding>): Finding => ({
  code: 'TAG_UNEXPECTED',
  severity: 'info',
  target: 'prod-eu',
  address: 'aws_kms_key.key',
  attribute: 'tags.LastScanned',
  message: 'm',
  remediation: 'r',
  ...over,
});

function problems(text: string): readonly string[] {
  try {
    parseIgnoreFile(text, 'ignore.yaml');
  } catch (e) {
    if (isIdcCmkError(e)) {
      expect(e.code).toBe('INPUT_INVALID');
      expect(e.message).toContain('ignore.yaml');
      return e.details;
    }
    throw e;
  }
  throw new Error('expected the ignore file to be rejected');
}

describe('parseIgnoreFile', () => {
  test('rules with target globs, codes, attributes and reasons', () => {
    const rules = parseIgnoreFile(
      ['version: 1', 'rules:', '  - target: "prod-*"', '    codes: ["TAG_*"]', '    reason: scanner', '  - targets: [a, b]', '    attributes: [description]'].join('\n'),
      'ignore.yaml',
    );
    expect(rules.rules).toEqual([
      { targets: ['prod-*'], codes: ['TAG_*'], attributes: [], reason: 'scanner' },
      { targets: ['a', 'b'], codes: [], attributes: ['description'] },
    ]);
  });

  test('empty file: no rules', () => {
    expect(parseIgnoreFile('', 'x').rules).toEqual([]);
    expect(parseIgnoreFile('# nothing\n', 'x').rules).toEqual([]);
  });

  test('invalid YAML', () => {
    expect(problems('rules: [\n')).toHaveLength(1);
  });

  test('one detail per problem: unknown code, empty rule, unknown key, both target forms', () => {
    const details = problems(['rules:', '  - codes: [NOT_A_CODE]', '  - target: x', '  - target: a', '    targets: [b]', '    codes: [KEY_DISABLED]'].join('\n'));
    expect(details).toEqual([
      expect.stringMatching(/^rules\[0\]\.codes\[0\]: got "NOT_A_CODE"/),
      'rules[1]: a rule needs "codes" or "attributes" (or both)',
      'rules[2]: give either "target" or "targets", not both',
    ]);
    expect(problems('rules:\n  - codes: [KEY_DISABLED]\n    colour: red\n')).toEqual([
      'rules[0].colour: got "red"; allowed: no such key; known keys here: target, targets, codes, attributes, reason',
    ]);
    expect(problems('ignore: []\n').length).toBeGreaterThan(0);
  });

  test('a shape error elsewhere does not hide the unknown codes of the other rules', () => {
    expect(problems('version: 1\nrules:\n  - codes: [NOPE_CODE]\n  - attributes: [replicas]\n    target: 5\n  - foo: bar\n')).toEqual([
      'rules[1].target: got 5; allowed: a target name or glob, or a non-empty list of them',
      'rules[2].foo: got "bar"; allowed: no such key; known keys here: target, targets, codes, attributes, reason',
      'rules[0].codes[0]: got "NOPE_CODE"; allowed: a finding code from docs/drift.md (globs allowed, e.g. "TAG_*")',
    ]);
  });

  test('shape errors name the field, the value received and what is allowed', () => {
    expect(problems('version: 2\nrules:\n  - target: 5\n    codes: TAG_MISSING\n')).toEqual([
      'version: got 2; allowed: 1 (the only ignore file version)',
      'rules[0].target: got 5; allowed: a target name or glob, or a non-empty list of them',
      'rules[0].codes: got "TAG_MISSING"; allowed: a list of strings',
    ]);
  });
});

describe('matching', () => {
  const rules = parseIgnoreFile(
    ['rules:', '  - target: "prod-*"', '    codes: [TAG_UNEXPECTED]', '    attributes: ["tags.Last*"]', '  - attributes: [policy]'].join('\n'),
    'i',
  );

  test('codes and attributes must both match; target glob applies', () => {
    expect(matchIgnoreRule(rules, finding({}))).toBeDefined();
    expect(matchIgnoreRule(rules, finding({ attribute: 'tags.Owner' }))).toBeUndefined();
    expect(matchIgnoreRule(rules, finding({ target: 'dev' }))).toBeUndefined();
  });

  test('an attribute pattern covers what is below it', () => {
    expect(matchIgnoreRule(rules, finding({ code: 'POLICY_CHANGED', attribute: 'policy.Admins.action' }))).toBeDefined();
    expect(matchIgnoreRule(rules, finding({ code: 'POLICY_CHANGED', attribute: 'policyx' }))).toBeUndefined();
  });

  test('applyIgnoreRules splits kept and ignored', () => {
    const { kept, ignored } = applyIgnoreRules(rules, [finding({}), finding({ attribute: 'tags.Owner' })]);
    expect(kept.map((f) => f.attribute)).toEqual(['tags.Owner']);
    expect(ignored).toHaveLength(1);
  });

  test.each([
    ['prod-*', 'prod-eu', true],
    ['prod-*', 'dev-eu', false],
    ['a?c', 'abc', true],
    ['a.c', 'abc', false],
    ['*', 'anything', true],
  ])('globMatch(%s, %s) = %s', (p, v, r) => {
    expect(globMatch(p, v)).toBe(r);
  });
});
