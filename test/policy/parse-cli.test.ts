import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { captureIo } from '../../cli/io';
import { runCli } from '../../cli/main';
import { isIdcCmkError } from '../../core/errors';
import { parsePolicy } from '../../policy/parse';
import { adminStatement, clone, doc, fixture } from './helpers';

function problemsOf(input: unknown): string[] {
  try {
    parsePolicy(input);
  } catch (e) {
    if (isIdcCmkError(e) && e.code === 'POLICY_INVALID') return [...e.details];
    throw e;
  }
  return [];
}

describe('parsePolicy', () => {
  test('no Version reads as 2008-10-17, as IAM reads it (KMS accepts such key policies)', () => {
    expect(parsePolicy(JSON.stringify({ Statement: [adminStatement] }), 'p').Version).toBe('2008-10-17');
  });

  test.each<[string, unknown, string[]]>([
    ['Effect with a stray space', { Version: '2012-10-17', Statement: [adminStatement, { ...adminStatement, Effect: 'allow ' }] }, ['Statement[1].Effect: got "allow "; allowed: "Allow" or "Deny"']],
    ['an unknown Version', { Version: '2020-01-01', Statement: [adminStatement] }, ['Version: got "2020-01-01"; allowed: "2012-10-17" or "2008-10-17", or none (read as "2008-10-17")']],
    ['Action and NotAction', { Version: '2012-10-17', Statement: { ...adminStatement, NotAction: 'kms:Decrypt' } }, ['Statement[0].Action: got "kms:*"; allowed: either Action or NotAction, not both']],
    ['neither Action nor NotAction', { Version: '2012-10-17', Statement: { ...adminStatement, Action: undefined } }, ['Statement[0].Action: got nothing; allowed: exactly one of Action or NotAction']],
    ['bad principal type', { Version: '2012-10-17', Statement: { ...adminStatement, Principal: { Aws: 'x' } } }, ['Statement[0].Principal.Aws: got "x"; allowed: no such element; allowed: AWS, Service, Federated, CanonicalUser']],
    ['unknown operator and bad value', { Version: '2012-10-17', Statement: { ...adminStatement, Condition: { StringEqual: { 'a:b': 'c' }, Bool: { 'a:c': [{}] } } } }, [
      'Statement[0].Condition.StringEqual: got "StringEqual"; allowed: a condition operator such as StringEquals, ArnLike, Bool, Null, with optional IfExists and ForAnyValue:/ForAllValues:',
      'Statement[0].Condition.Bool.a:c[0]: got {}; allowed: a string, number or boolean',
    ]],
    ['empty Statement', { Version: '2012-10-17', Statement: [] }, ['Statement: got []; allowed: at least one statement']],
    ['bad action name', { Version: '2012-10-17', Statement: { ...adminStatement, Action: ['kms:Decrypt', 'decrypt'] } }, ['Statement[0].Action[1]: got "decrypt"; allowed: an action name "service:Action" (wildcards allowed) or "*"']],
  ])('%s', (_name, input, problems) => {
    expect(problemsOf(input)).toEqual(problems);
  });

  test('accepts a JSON string, a JSON string of a JSON string, and the §1A template', () => {
    const d = fixture('baseline-1a.json');
    expect(parsePolicy(JSON.stringify(d))).toEqual(d);
    expect(parsePolicy(JSON.stringify(JSON.stringify(d)))).toEqual(d);
  });

  test('invalid JSON names the source', () => {
    expect(() => parsePolicy('{', 'A.json')).toThrow(/A\.json is not valid JSON/);
  });
});

describe('idc-cmk policy diff', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idc-cmk-policy-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };
  const run = async (...args: string[]) => {
    const io = captureIo({ cwd: dir });
    const code = await runCli(['node', 'idc-cmk', 'policy', 'diff', ...args], io);
    return { code, out: io.out(), err: io.err() };
  };

  test('exit 0 when the policies mean the same (AWS re-serialised, stored as a JSON string)', async () => {
    const d = fixture('baseline-1a.json');
    const live = clone(d);
    live.Statement.reverse();
    const a = write('a.json', JSON.stringify(d, null, 2));
    const b = write('b.json', JSON.stringify(JSON.stringify(live)));
    const r = await run(a, b);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('mean the same');
  });

  test('exit 2 with classified differences and a unified diff', async () => {
    write('x.json', JSON.stringify(doc(adminStatement)));
    write('y.json', JSON.stringify(doc({ ...adminStatement, Principal: '*' })));
    const r = await run('x.json', 'y.json');
    expect(r.code).toBe(2);
    expect(r.out).toContain('[security] Statement "Admin" (expected #0, actual #0): principal added "*"');
    expect(r.out).toContain('--- x.json\texpected (canonical)');
    expect(r.out).toMatch(/^\+\s+"Principal": "\*",$/m);
  });

  test('--format json', async () => {
    const r = await run('x.json', 'y.json', '--format', 'json');
    expect(r.code).toBe(2);
    const out = JSON.parse(r.out);
    expect(out).toMatchObject({ version: 1, equivalent: false, differences: [{ element: 'principal', changeClass: 'security' }] });
  });

  test.each<[string, string[], RegExp]>([
    ['missing file', ['x.json', 'nope.json'], /cannot read policy file nope\.json: no such file/],
    ['bad JSON', ['x.json', 'bad.json'], /policy file bad\.json is not valid JSON/],
    ['invalid policy', ['x.json', 'invalid.json'], /policy file invalid\.json is not a valid IAM policy document[\s\S]*Statement\[0\]\.Effect: got "allow"/],
    ['bad --format', ['x.json', 'y.json', '--format', 'yaml'], /--format: got "yaml"; allowed: text or json/],
    ['bad --account', ['x.json', 'y.json', '--account', '12'], /--account: got "12"; allowed: a 12-digit AWS account ID/],
  ])('exit 1 on %s, with a clear message and no stack trace', async (_name, args, message) => {
    write('bad.json', '{"Version": ');
    write('invalid.json', JSON.stringify({ Version: '2012-10-17', Statement: { ...adminStatement, Effect: 'allow' } }));
    const r = await run(...args);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toBe('');
  });
});
