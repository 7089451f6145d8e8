import { evaluatePolicy, type AccessRequest } from '../../policy/evaluate';
import { checkIdentityCenterAccess, identityCenterProbes } from '../../policy/identity-center';
import type { PolicyDocument } from '../../policy/types';
import { ACCOUNT, INSTANCE_ARN, STORE_ARN, adminStatement, doc, fixture, pinnedBaseline } from './helpers';

const OTHER_INSTANCE = 'arn:aws:sso:::instance/ssoins-ffffffffffffffff';
const OTHER_ACCOUNT = '999988887777';
const ctx = { account: ACCOUNT, instanceArn: INSTANCE_ARN, identityStoreArn: STORE_ARN, orgId: 'o-a1b2c3d4e5' };

const probe = (name: string, override: Partial<AccessRequest> = {}, contextOverride: Record<string, string | string[]> = {}): AccessRequest => {
  const p = identityCenterProbes(ctx).find((x) => x.name === name);
  if (!p) throw new Error(`no probe ${name}`);
  return { ...p.request, ...override, context: { ...p.request.context, ...contextOverride } };
};

describe('Identity Center templates', () => {
  const baseline = fixture('baseline-1a.json');
  const pinned = pinnedBaseline();

  test.each<[string, PolicyDocument, AccessRequest, string, undefined]>([
    ['§1A: this instance decrypts', baseline, probe('sso.amazonaws.com kms:Decrypt'), 'allow', undefined],
    ['§1A: another instance of the same account decrypts (not pinned)', baseline, probe('sso.amazonaws.com kms:Decrypt', {}, { 'kms:EncryptionContext:aws:sso:instance-arn': OTHER_INSTANCE }), 'allow', undefined],
    ['§1A: a request from an unrelated account is denied', baseline, probe('sso.amazonaws.com kms:Decrypt', {}, { 'aws:SourceAccount': OTHER_ACCOUNT }), 'implicit-deny', undefined],
    ['§1A: without encryption context keys GenerateDataKey is denied', baseline, probe('sso.amazonaws.com kms:GenerateDataKeyWithoutPlaintext', {}, { 'kms:EncryptionContextKeys': ['tenant-key-id'] }), 'implicit-deny', undefined],
    ['§1A: DescribeKey without encryption context is allowed', baseline, probe('identitystore.amazonaws.com kms:DescribeKey'), 'allow', undefined],
    ['§1A: DescribeKey from an unrelated account is denied', baseline, probe('identitystore.amazonaws.com kms:DescribeKey', {}, { 'aws:SourceAccount': OTHER_ACCOUNT }), 'implicit-deny', undefined],
    ['§1A: Encrypt is not granted to the service', baseline, probe('sso.amazonaws.com kms:Decrypt', { action: 'kms:Encrypt' }), 'implicit-deny', undefined],
    ['§1A: an admin role in the account can do anything', baseline, { principal: { type: 'AWS', id: `arn:aws:iam::${ACCOUNT}:role/Admin` }, action: 'kms:ScheduleKeyDeletion', context: {} }, 'allow', undefined],
    ['§1A: an admin role in a foreign account cannot', baseline, { principal: { type: 'AWS', id: `arn:aws:iam::${OTHER_ACCOUNT}:role/Admin` }, action: 'kms:Decrypt', context: {} }, 'implicit-deny', undefined],
    ['§1C pinned: this instance decrypts', pinned, probe('sso.amazonaws.com kms:Decrypt'), 'allow', undefined],
    ['§1C pinned: another instance is denied', pinned, probe('sso.amazonaws.com kms:Decrypt', {}, { 'kms:EncryptionContext:aws:sso:instance-arn': OTHER_INSTANCE }), 'implicit-deny', undefined],
    ['§1C pinned: this identity store re-encrypts', pinned, probe('identitystore.amazonaws.com kms:ReEncryptFrom'), 'allow', undefined],
    ['§1C pinned: another identity store is denied', pinned, probe('identitystore.amazonaws.com kms:ReEncryptFrom', {}, { 'kms:EncryptionContext:aws:identitystore:identitystore-arn': `arn:aws:identitystore::${ACCOUNT}:identitystore/d-ffffffffff` }), 'implicit-deny', undefined],
    ['§1C pinned: DescribeKey is still allowed without context', pinned, probe('sso.amazonaws.com kms:DescribeKey'), 'allow', undefined],
    ['§1A managed apps: an AWS service via sso in the org decrypts', baseline, { principal: { type: 'Service', id: 'myapp.amazonaws.com' }, action: 'kms:Decrypt', context: { 'aws:SourceOrgID': 'o-a1b2c3d4e5', 'aws:ResourceOrgID': 'o-a1b2c3d4e5', 'kms:ViaService': 'sso.us-east-1.amazonaws.com', 'kms:EncryptionContextKeys': ['aws:sso:instance-arn'] } }, 'allow', undefined],
    ['§1A managed apps: not via sso is denied', baseline, { principal: { type: 'Service', id: 'myapp.amazonaws.com' }, action: 'kms:Decrypt', context: { 'aws:SourceOrgID': 'o-a1b2c3d4e5', 'aws:ResourceOrgID': 'o-a1b2c3d4e5', 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:EncryptionContextKeys': ['aws:sso:instance-arn'] } }, 'implicit-deny', undefined],
  ])('%s', (_name, policy, request, decision) => {
    expect(evaluatePolicy(policy, request).decision).toBe(decision);
  });

  test('checkIdentityCenterAccess passes both templates and lists what a broken policy misses', () => {
    expect(checkIdentityCenterAccess(baseline, ctx)).toEqual({ ok: true, missing: [] });
    expect(checkIdentityCenterAccess(pinned, ctx).ok).toBe(true);
    const otherInstance = checkIdentityCenterAccess(pinned, { ...ctx, instanceArn: OTHER_INSTANCE });
    expect(otherInstance.missing.map((p) => p.name)).toEqual([
      'sso.amazonaws.com kms:Decrypt', 'sso.amazonaws.com kms:ReEncryptTo', 'sso.amazonaws.com kms:ReEncryptFrom', 'sso.amazonaws.com kms:GenerateDataKeyWithoutPlaintext',
    ]);
    expect(checkIdentityCenterAccess(doc(adminStatement), ctx).missing).toHaveLength(10);
  });

  test('probes: five actions per service, encryption context only on the crypto actions', () => {
    const probes = identityCenterProbes(ctx);
    expect(probes).toHaveLength(10);
    const describe = probes.find((p) => p.name === 'sso.amazonaws.com kms:DescribeKey');
    expect(describe?.request.context).not.toHaveProperty('kms:EncryptionContextKeys');
    expect(describe?.request.context).toMatchObject({ 'aws:SourceAccount': ACCOUNT, 'aws:ResourceOrgID': 'o-a1b2c3d4e5' });
    const store = probes.find((p) => p.name === 'identitystore.amazonaws.com kms:Decrypt');
    expect(store?.request.context).toMatchObject({ 'kms:EncryptionContext:aws:identitystore:identitystore-arn': STORE_ARN });
  });
});

describe('evaluator semantics', () => {
  const role = { type: 'AWS' as const, id: `arn:aws:iam::${ACCOUNT}:role/App` };
  const req = (action: string, context: AccessRequest['context'] = {}, principal: AccessRequest['principal'] = role): AccessRequest => ({ principal, action, context });
  const allow = (extra: object) => ({ Effect: 'Allow' as const, Principal: { AWS: ACCOUNT }, Action: 'kms:*', Resource: '*', ...extra });

  test.each<[string, PolicyDocument, AccessRequest, string, string[] | undefined]>([
    ['explicit deny wins', doc(allow({ Sid: 'A' }), { Sid: 'D', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }), req('kms:Decrypt'), 'explicit-deny', ['D']],
    ['no statement: implicit deny', doc({ Effect: 'Allow', Principal: { AWS: OTHER_ACCOUNT }, Action: '*', Resource: '*' }), req('kms:Decrypt'), 'implicit-deny', []],
    ['action wildcard is case-insensitive', doc(allow({ Action: 'KMS:De*' })), req('kms:decrypt'), 'allow', ['Statement[0]']],
    ['NotAction excludes', doc(allow({ Action: undefined, NotAction: 'kms:Decrypt' })), req('kms:Decrypt'), 'implicit-deny', undefined],
    ['NotAction allows the rest', doc(allow({ Action: undefined, NotAction: 'kms:Decrypt' })), req('kms:Encrypt'), 'allow', undefined],
    ['role ARN principal matches its session', doc(allow({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/path/App` } })), req('kms:Decrypt', {}, { type: 'AWS', id: `arn:aws:sts::${ACCOUNT}:assumed-role/App/s1` }), 'allow', undefined],
    ['root of another partition does not match', doc(allow({ Principal: { AWS: `arn:aws-cn:iam::${ACCOUNT}:root` } })), req('kms:Decrypt'), 'implicit-deny', undefined],
    ['a unique-ID principal matches nobody', doc(allow({ Principal: { AWS: 'AROA1234567890EXAMPLE' } })), req('kms:Decrypt'), 'implicit-deny', undefined],
    ['Principal {AWS:"*"} matches', doc(allow({ Principal: { AWS: '*' } })), req('kms:Decrypt'), 'allow', undefined],
    ['Service principal does not match an AWS principal', doc(allow({ Principal: { Service: 'sso.amazonaws.com' } })), req('kms:Decrypt'), 'implicit-deny', undefined],
    ['multiple values are OR-ed', doc(allow({ Condition: { StringEquals: { 'aws:SourceAccount': ['1', '2'] } } })), req('kms:Decrypt', { 'aws:SourceAccount': '2' }), 'allow', undefined],
    ['multiple keys are AND-ed', doc(allow({ Condition: { StringEquals: { 'a:x': '1', 'a:y': '1' } } })), req('kms:Decrypt', { 'a:x': '1', 'a:y': '2' }), 'implicit-deny', undefined],
    ['condition key lookup is case-insensitive', doc(allow({ Condition: { StringEquals: { 'AWS:SOURCEACCOUNT': '1' } } })), req('kms:Decrypt', { 'aws:SourceAccount': '1' }), 'allow', undefined],
    ['missing key: condition false', doc(allow({ Condition: { StringEquals: { 'aws:SourceAccount': '1' } } })), req('kms:Decrypt'), 'implicit-deny', undefined],
    ['missing key with IfExists: true', doc(allow({ Condition: { StringEqualsIfExists: { 'aws:SourceAccount': '1' } } })), req('kms:Decrypt'), 'allow', undefined],
    ['missing key with negated operator: true', doc(allow({ Condition: { StringNotEquals: { 'aws:SourceAccount': '1' } } })), req('kms:Decrypt'), 'allow', undefined],
    ['Null true on a missing key', doc(allow({ Condition: { Null: { 'aws:SourceArn': 'true' } } })), req('kms:Decrypt'), 'allow', undefined],
    ['Null false on a missing key', doc(allow({ Condition: { Null: { 'aws:SourceArn': 'false' } } })), req('kms:Decrypt'), 'implicit-deny', undefined],
    ['ForAllValues on a missing key is vacuously true', doc(allow({ Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': 'a' } } })), req('kms:Decrypt'), 'allow', undefined],
    ['ForAllValues needs every value', doc(allow({ Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': 'a' } } })), req('kms:Decrypt', { 'kms:EncryptionContextKeys': ['a', 'b'] }), 'implicit-deny', undefined],
    ['ForAnyValue on a missing key is false', doc(allow({ Condition: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'a' } } })), req('kms:Decrypt'), 'implicit-deny', undefined],
    ['StringEqualsIgnoreCase', doc(allow({ Condition: { StringEqualsIgnoreCase: { 'a:x': 'ABC' } } })), req('kms:Decrypt', { 'a:x': 'abc' }), 'allow', undefined],
    ['StringNotLike', doc(allow({ Condition: { StringNotLike: { 'kms:ViaService': 'sso.*' } } })), req('kms:Decrypt', { 'kms:ViaService': 'sso.us-east-1.amazonaws.com' }), 'implicit-deny', undefined],
    ['ArnLike per field', doc(allow({ Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/App*` } } })), req('kms:Decrypt'), 'allow', undefined],
    ['ArnNotEquals', doc(allow({ Condition: { ArnNotEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/App` } } })), req('kms:Decrypt'), 'implicit-deny', undefined],
    ['Bool compares as text', doc(allow({ Condition: { Bool: { 'aws:SecureTransport': 'TRUE' } } })), req('kms:Decrypt', { 'aws:SecureTransport': true } as never), 'allow', undefined],
    ['NumericLessThan', doc(allow({ Condition: { NumericLessThan: { 'a:n': 10 } } })), req('kms:Decrypt', { 'a:n': '9' }), 'allow', undefined],
    ['NumericLessThan with a non-number', doc(allow({ Condition: { NumericLessThan: { 'a:n': 10 } } })), req('kms:Decrypt', { 'a:n': 'x' }), 'implicit-deny', undefined],
    ['DateGreaterThan', doc(allow({ Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } })), req('kms:Decrypt', { 'aws:CurrentTime': '2026-01-01T00:00:00Z' }), 'allow', undefined],
    ['policy variable resolved', doc(allow({ Condition: { StringEquals: { 'aws:SourceAccount': '${aws:ResourceAccount}' } } })), req('kms:Decrypt', { 'aws:SourceAccount': ACCOUNT, 'aws:ResourceAccount': ACCOUNT }), 'allow', undefined],
    ['policy variable that does not resolve never matches', doc(allow({ Condition: { StringEquals: { 'aws:SourceAccount': '${aws:ResourceAccount}' } } })), req('kms:Decrypt', { 'aws:SourceAccount': ACCOUNT }), 'implicit-deny', undefined],
    ['principal keys are derived', doc(allow({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT }, Bool: { 'aws:PrincipalIsAWSService': 'false' } } })), req('kms:Decrypt'), 'allow', undefined],
    ['Resource other than * needs the key ARN', doc(allow({ Resource: 'arn:aws:kms:us-east-1:111122223333:key/k' })), req('kms:Decrypt'), 'implicit-deny', undefined],
    ['Resource ARN matches the key ARN', doc(allow({ Resource: 'arn:aws:kms:*:111122223333:key/*' })), { ...req('kms:Decrypt'), resource: 'arn:aws:kms:us-east-1:111122223333:key/k' }, 'allow', undefined],
  ])('%s', (_name, policy, request, decision, sids) => {
    const result = evaluatePolicy(policy, request);
    expect(result.decision).toBe(decision);
    if (sids) expect(result.matchedSids).toEqual(sids);
  });
});

describe('IpAddress and NotIpAddress', () => {
  const statement = (operator: string, cidrs: string[]) => doc({ Sid: 'Net', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:Decrypt', Resource: '*', Condition: { [operator]: { 'aws:SourceIp': cidrs } } });
  const decide = (operator: string, cidrs: string[], sourceIp?: string) =>
    evaluatePolicy(statement(operator, cidrs), { principal: { type: 'AWS', id: `arn:aws:iam::${ACCOUNT}:role/admin` }, action: 'kms:Decrypt', context: sourceIp ? { 'aws:SourceIp': sourceIp } : {} }).decision;

  test.each([
    ['IpAddress', ['10.0.0.0/8'], '10.1.2.3', 'allow'],
    ['IpAddress', ['10.0.0.0/8'], '11.1.2.3', 'implicit-deny'],
    ['IpAddress', ['203.0.113.7'], '203.0.113.7', 'allow'],
    ['IpAddress', ['2001:db8::/32'], '2001:db8:1::5', 'allow'],
    ['IpAddress', ['2001:db8::/32'], '10.1.2.3', 'implicit-deny'],
    ['IpAddress', ['10.0.0.0/8'], undefined, 'implicit-deny'],
    ['NotIpAddress', ['10.0.0.0/8'], '11.1.2.3', 'allow'],
    ['NotIpAddress', ['10.0.0.0/8'], '10.1.2.3', 'implicit-deny'],
    ['IpAddress', ['10.0.0.0/'], '8.8.8.8', 'implicit-deny'],
  ] as const)('%s %j with aws:SourceIp %s: %s', (operator, cidrs, ip, decision) => {
    expect(decide(operator, [...cidrs], ip)).toBe(decision);
  });
});

test('with `now`, a Deny from a past date applies to Identity Center\'s requests; without it the time keys are absent', () => {
  const policy = pinnedBaseline();
  const denied = { ...policy, Statement: [...policy.Statement, { Sid: 'Later', Effect: 'Deny' as const, Principal: '*' as const, Action: 'kms:*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } }] };
  expect(checkIdentityCenterAccess(denied, { ...ctx, now: new Date('2026-12-02T00:00:00Z') }).ok).toBe(false);
  expect(checkIdentityCenterAccess(denied, { ...ctx, now: new Date('2019-06-01T00:00:00Z') }).ok).toBe(true);
});
