import { formatValue, isIdcCmkError } from '../../core/errors';
import type { IdentityCenterKeyProps } from '../../modules/identity-center-key-props';
import { validateIdentityCenterKeyProps, validateKeyPolicy } from '../../modules/validation';
import type { PolicyDocument } from '../../policy/types';
import { EFFECT_ALLOWED, LOCKOUT_ALLOWED, NOT_PRINCIPAL_ALLOWED, PRINCIPAL_STAR_ALLOWED, STATEMENT_PARTS_ALLOWED } from '../../modules/validation/validate-key-policy';

const VALID: IdentityCenterKeyProps = {
  account: '111122223333',
  region: 'us-east-1',
  instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  identityStoreId: 'd-1234567890',
};

function problemsFor(overrides: Partial<IdentityCenterKeyProps>): readonly string[] {
  return validateIdentityCenterKeyProps({ ...VALID, ...overrides });
}

test('the baseline props are valid', () => {
  expect(problemsFor({})).toEqual([]);
});

describe('ranges: both sides of every boundary', () => {
  const rotationAllowed = 'allowed: a whole number from 90 to 2560';
  const deletionAllowed = 'allowed: a whole number from 7 to 30';
  test.each([
    [89, `rotationPeriodInDays: got 89; ${rotationAllowed}`],
    [90, undefined],
    [2560, undefined],
    [2561, `rotationPeriodInDays: got 2561; ${rotationAllowed}`],
    [365.5, `rotationPeriodInDays: got 365.5; ${rotationAllowed}`],
  ])('rotationPeriodInDays %p', (value, message) => {
    expect(problemsFor({ rotationPeriodInDays: value })).toEqual(message ? [message] : []);
  });
  test.each([
    [6, `deletionWindowInDays: got 6; ${deletionAllowed}`],
    [7, undefined],
    [30, undefined],
    [31, `deletionWindowInDays: got 31; ${deletionAllowed}`],
  ])('deletionWindowInDays %p', (value, message) => {
    expect(problemsFor({ deletionWindowInDays: value })).toEqual(message ? [message] : []);
  });
});

describe('aliases', () => {
  const allowed = 'allowed: "alias/" followed by letters, digits, "/", "_" or "-", at most 256 characters, not starting with "alias/aws/"';
  const max = `alias/${'a'.repeat(250)}`;
  test.each([
    ['identity-center', true],
    ['alias/idc/prod_1', true],
    [max, true],
    [`${max}b`, false],
    ['alias/aws/identity-center', false],
    ['aws/x', false], // becomes alias/aws/x: reserved
    ['alias/with space', false],
    ['alias/dot.name', false],
  ])('%p accepted: %p', (alias, accepted) => {
    // Long values are cut in messages (formatValue), so the expected text is built the same way.
    expect(problemsFor({ aliases: [alias] })).toEqual(accepted ? [] : [`aliases[0]: got ${formatValue(alias)}; ${allowed}`]);
  });
  test('max length boundary is 256 characters', () => {
    expect(max).toHaveLength(256);
  });
  test('an empty list and duplicates (after the prefix is added) are rejected', () => {
    expect(problemsFor({ aliases: [] })).toEqual(['aliases: got []; allowed: one or more alias names']);
    expect(problemsFor({ aliases: ['idc', 'alias/idc'] })).toEqual(['aliases[1]: got "alias/idc"; allowed: each alias once']);
  });
});

describe('identifiers', () => {
  test.each([
    ['account', '11112222333', 'account: got "11112222333"; allowed: a 12-digit AWS account ID'],
    ['account', '1111222233334', 'account: got "1111222233334"; allowed: a 12-digit AWS account ID'],
    ['region', 'us_east_1', 'region: got "us_east_1"; allowed: an AWS Region code such as "us-east-1"'],
    ['partition', 'aws-xx', 'partition: got "aws-xx"; allowed: one of "aws", "aws-cn", "aws-us-gov"'],
    ['instanceArn', 'arn:aws:sso:::instance/ssoins-1234567890abcde',
      'instanceArn: got "arn:aws:sso:::instance/ssoins-1234567890abcde"; allowed: an instance ARN "arn:aws:sso:::instance/ssoins-" followed by 16 lowercase hex characters'],
    ['instanceArn', 'arn:aws:sso:::instance/ssoins-1234567890ABCDEF',
      'instanceArn: got "arn:aws:sso:::instance/ssoins-1234567890ABCDEF"; allowed: an instance ARN "arn:aws:sso:::instance/ssoins-" followed by 16 lowercase hex characters'],
    ['identityStoreId', 'd-123456789', 'identityStoreId: got "d-123456789"; allowed: an identity store ID "d-" followed by 10 lowercase hex characters'],
    ['identityStoreId', 'd-12345678901', 'identityStoreId: got "d-12345678901"; allowed: an identity store ID "d-" followed by 10 lowercase hex characters'],
    ['organizationId', 'o-abc', 'organizationId: got "o-abc"; allowed: an organization ID "o-" followed by 10 to 32 lowercase letters or digits'],
    ['organizationId', `o-${'a'.repeat(33)}`, `organizationId: got "o-${'a'.repeat(33)}"; allowed: an organization ID "o-" followed by 10 to 32 lowercase letters or digits`],
    ['instanceOwnerAccount', '444455556666',
      'instanceOwnerAccount: got "444455556666"; allowed: the key account "111122223333": Identity Center only accepts a key in the instance\'s own account'],
    ['instanceRegion', 'eu-west-1',
      'instanceRegion: got "eu-west-1"; allowed: the key Region "us-east-1": Identity Center only accepts a key in the instance\'s own Region'],
    ['pendingInstance', 'later', 'pendingInstance: got "later"; allowed: one of "wildcard", "key-configuration", "omit"'],
  ] as const)('%s %p', (field, value, message) => {
    expect(problemsFor({ [field]: value } as Partial<IdentityCenterKeyProps>)).toEqual([message]);
  });

  test.each([
    ['organizationId', 'o-abcdefghij'],
    ['organizationId', `o-${'a'.repeat(32)}`],
    ['instanceOwnerAccount', '111122223333'],
    ['instanceRegion', 'us-east-1'],
    ['partition', 'aws-cn'],
  ] as const)('%s %p is accepted', (field, value) => {
    const overrides: Partial<IdentityCenterKeyProps> = { [field]: value };
    if (field === 'partition') Object.assign(overrides, { instanceArn: 'arn:aws-cn:sso:::instance/ssoins-1234567890abcdef', region: 'cn-north-1' });
    expect(problemsFor(overrides)).toEqual([]);
  });

  test('the instance ARN must be in the key partition', () => {
    expect(problemsFor({ partition: 'aws-us-gov', region: 'us-gov-west-1' })).toEqual([
      'instanceArn: got "arn:aws:sso:::instance/ssoins-1234567890abcdef"; allowed: an instance ARN "arn:aws-us-gov:sso:::instance/ssoins-" followed by 16 lowercase hex characters',
    ]);
  });

  test('Regions must be in the key partition, primary and replicas', () => {
    expect(problemsFor({ region: 'cn-north-1', replicaRegions: ['eu-west-1'] })).toEqual([
      'region: got "cn-north-1"; allowed: a Region of the partition "aws" (cn-north-1 is in "aws-cn"; set partition accordingly)',
    ]);
  });

  test('delegated-admin accounts once each; Identity Center administrators only in the management or a delegated-admin account', () => {
    expect(problemsFor({ delegatedAdminAccounts: ['444455556666', '444455556666'], identityCenterAdministrators: ['arn:aws:iam::999999999999:root', 'arn:aws:iam::444455556666:role/admin'] })).toEqual([
      'delegatedAdminAccounts[1]: got "444455556666"; allowed: each account once',
      'identityCenterAdministrators[0]: got "arn:aws:iam::999999999999:root"; allowed: a principal in the management account 111122223333 or a delegatedAdminAccounts account (444455556666)',
    ]);
  });

  test('administrators and auditors in another account are refused: KMS serves key administration and policy reads in the key account only', () => {
    expect(problemsFor({ administrators: ['arn:aws:iam::999999999999:role/KeyAdmin', 'arn:aws:iam::111122223333:role/KeyAdmin'], auditors: ['arn:aws:iam::777777777777:role/auditor'] })).toEqual([
      'administrators[0]: got "arn:aws:iam::999999999999:role/KeyAdmin"; allowed: a principal in the key account 111122223333 (key administration (PutKeyPolicy, ScheduleKeyDeletion, CreateAlias, ...) is not available across accounts)',
      'auditors[0]: got "arn:aws:iam::777777777777:role/auditor"; allowed: a principal in the key account 111122223333 (GetKeyPolicy, ListResourceTags and ListAliases are not available across accounts)',
    ]);
  });

  test('AWS principals of extra statements: "*", an account ID or an IAM principal ARN of the partition', () => {
    const statement = (AWS: string | string[]) => ({ Sid: 'Extra', Effect: 'Allow' as const, Principal: { AWS }, Action: 'kms:Decrypt', Resource: '*' });
    expect(problemsFor({ extraStatements: [statement(['arn:aws:iam::444455556666:role/reader', '444455556666']), statement('not-an-arn')] })).toEqual([
      'extraStatements[1].Principal.AWS: got "not-an-arn"; allowed: "*", a 12-digit account ID or an IAM principal ARN (arn:aws:iam::<account>:role/...)',
    ]);
  });

  const principalAllowed = 'allowed: an IAM principal ARN or pattern "arn:aws:iam::<12-digit account>:root", ":role/<path and name>" or ":user/<path and name>"';
  test.each([
    ['administrators', 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_KeyAdmin_*', undefined],
    ['auditors', 'arn:aws:iam::111122223333:user/alice', undefined],
    ['identityCenterAdministrators', 'arn:aws:iam::444455556666:root', undefined],
    ['administrators', 'arn:aws:iam::*:role/Admin', `administrators[0]: got "arn:aws:iam::*:role/Admin"; ${principalAllowed}`],
    ['auditors', 'arn:aws:sts::111122223333:assumed-role/Audit/s', `auditors[0]: got "arn:aws:sts::111122223333:assumed-role/Audit/s"; ${principalAllowed}`],
    ['identityCenterAdministrators', '111122223333', `identityCenterAdministrators[0]: got "111122223333"; ${principalAllowed}`],
  ] as const)('%s %p', (field, value, message) => {
    const problems = validateIdentityCenterKeyProps({ ...VALID, delegatedAdminAccounts: ['444455556666'], [field]: [value] });
    expect(problems).toEqual(message ? [message] : []);
  });
});

describe('cross-field rules', () => {
  test.each([
    [{ replicaRegions: ['eu-west-1'], multiRegion: false }, 'replicaRegions: got ["eu-west-1"]; allowed: no replica Regions unless multiRegion is true'],
    [{ replicaRegions: ['us-east-1'] }, 'replicaRegions[0]: got "us-east-1"; allowed: a Region other than the primary Region "us-east-1"'],
    [{ replicaRegions: ['eu-west-1', 'eu-west-1'] }, 'replicaRegions[1]: got "eu-west-1"; allowed: each Region once'],
    [{ delegatedAdminAccounts: ['111122223333'] }, 'delegatedAdminAccounts[0]: got "111122223333"; allowed: a member account other than the management (key) account'],
    [{ delegatedAdminAccounts: ['4444'] }, 'delegatedAdminAccounts[0]: got "4444"; allowed: a 12-digit AWS account ID'],
    [{ allowDelegatedAdminFullAccess: true }, 'allowDelegatedAdminFullAccess: got true; allowed: true only with one or more delegatedAdminAccounts'],
    [{ managedApplications: true }, 'managedApplications: got true; allowed: true only with organizationId (the statements are scoped to the organization)'],
    [{ organizationPrincipals: true }, 'organizationPrincipals: got true; allowed: true only with organizationId (the statements are scoped to the organization)'],
    [{ tags: { 'aws:owner': 'x' } }, 'tags key: got "aws:owner"; allowed: 1 to 128 characters, not starting with "aws:"'],
    [{ targetName: ' ' }, 'targetName: got " "; allowed: a non-empty name'],
  ] as [Partial<IdentityCenterKeyProps>, string][])('%p', (overrides, message) => {
    expect(problemsFor(overrides)).toEqual([message]);
  });

  test('every problem is reported, not only the first', () => {
    expect(problemsFor({ account: 'x', region: 'y', rotationPeriodInDays: 1, deletionWindowInDays: 1 })).toHaveLength(4);
  });
});

describe('key policy checks', () => {
  const admin = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' } as const;
  const doc = (...Statement: PolicyDocument['Statement']): PolicyDocument => ({ Version: '2012-10-17', Statement });

  test('a policy with an administrator passes', () => {
    expect(validateKeyPolicy(doc(admin))).toEqual([]);
  });

  test.each([
    ['kms:*', true], ['kms:Put*', true], ['kms:PutKeyPolicy', true], ['kms:GetKeyPolicy', false], ['kms:Decrypt', false],
  ])('lockout: an AWS principal granted %s administers the key: %p', (action, administers) => {
    const problems = validateKeyPolicy(doc({ ...admin, Action: action }));
    expect(problems).toEqual(administers ? [] : [
      'key policy administrators: got ["Admin"]; allowed: at least one Allow statement granting kms:PutKeyPolicy (or kms:*) to an AWS principal, not taken back by an unconditional Deny, so the key stays manageable (KMS\'s lockout safety check)',
    ]);
  });

  test('lockout: a service principal or a Deny does not count', () => {
    const problems = validateKeyPolicy(doc(
      { Sid: 'Svc', Effect: 'Allow', Principal: { Service: 'sso.amazonaws.com' }, Action: 'kms:*', Resource: '*' },
      { ...admin, Effect: 'Deny' },
    ));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^key policy administrators: got \[\]; allowed: at least one Allow statement/);
  });

  test('lockout: an unconditional Deny for everyone takes the administrators back', () => {
    const denyAll = { Sid: 'DenyAll', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' } as const;
    expect(validateKeyPolicy(doc(admin, denyAll))).toEqual([
      `key policy administrators: got ["Admin"]; allowed: ${LOCKOUT_ALLOWED}`,
    ]);
    // The same Deny for the administrator's own principal; a conditional Deny or one on other actions leaves them.
    expect(validateKeyPolicy(doc(admin, { ...denyAll, Principal: { AWS: 'arn:aws:iam::111122223333:root' } }))).toHaveLength(1);
    expect(validateKeyPolicy(doc(admin, { ...denyAll, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }))).toEqual([]);
    expect(validateKeyPolicy(doc(admin, { ...denyAll, Action: 'kms:Decrypt' }))).toEqual([]);
  });

  test('an Allow with NotPrincipal grants everyone else', () => {
    const problems = validateKeyPolicy(doc(admin, { Sid: 'Others', Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:Decrypt', Resource: '*' }));
    expect(problems).toEqual([`key policy statement "Others" NotPrincipal: got {"AWS":"arn:aws:iam::111122223333:root"}; allowed: ${NOT_PRINCIPAL_ALLOWED}`]);
  });

  test('a statement needs Effect Allow or Deny, a principal, actions and a resource', () => {
    const bad = { Sid: 'Bad', Effect: 'Permit', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:Decrypt' } as unknown as PolicyDocument['Statement'][number];
    expect(validateKeyPolicy(doc(admin, bad))).toEqual([
      `key policy statement "Bad" Effect: got "Permit"; allowed: ${EFFECT_ALLOWED}`,
      `key policy statement "Bad": got "no Resource"; allowed: ${STATEMENT_PARTS_ALLOWED}`,
    ]);
  });

  const starAllowed = `allowed: ${PRINCIPAL_STAR_ALLOWED}`;
  test.each([
    ['no condition', '*', undefined, `key policy statement "Open": got "*"; ${starAllowed}`],
    ['AWS "*"', { AWS: '*' }, { StringLike: { 'kms:ViaService': 'sso.*.amazonaws.com' } }, `key policy statement "Open": got {"AWS":"*"}; ${starAllowed}`],
    ['a negated org condition', '*', { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } }, `key policy statement "Open": got "*"; ${starAllowed}`],
    ['an IfExists org condition', '*', { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abcdefghij' } }, `key policy statement "Open": got "*"; ${starAllowed}`],
    ['an org condition', '*', { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } }, undefined],
    ['an org condition matching any org', '*', { StringLike: { 'aws:PrincipalOrgID': '*' } }, `key policy statement "Open": got "*"; ${starAllowed}`],
    ['an org paths condition matching any path', '*', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['*', '?*'] } }, `key policy statement "Open": got "*"; ${starAllowed}`],
    ['an org condition with an empty value', '*', { StringEquals: { 'aws:PrincipalOrgID': '' } }, `key policy statement "Open": got "*"; ${starAllowed}`],
    ['an org condition matching every org (o-*)', '*', { StringLike: { 'aws:PrincipalOrgID': 'o-*' } }, `key policy statement "Open": got "*"; ${starAllowed}`],
    ['a source ARN matching every caller (arn:*)', '*', { ArnLike: { 'aws:SourceArn': 'arn:*' } }, `key policy statement "Open": got "*"; ${starAllowed}`],
    ['a source ARN naming its account', '*', { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:111122223333:trail/*' } }, undefined],
    ['an org path under a named organization', '*', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-abcdefghij/r-ab12/ou-ab12-11111111/*' } }, undefined],
    ['a source org condition', '*', { StringEquals: { 'aws:SourceOrgID': 'o-abcdefghij' } }, undefined],
  ] as const)('Principal "*" with %s', (_name, principal, condition, message) => {
    const problems = validateKeyPolicy(doc(admin, { Sid: 'Open', Effect: 'Allow', Principal: principal, Action: 'kms:Decrypt', Resource: '*', Condition: condition }));
    expect(problems).toEqual(message ? [message] : []);
  });

  test('duplicate Sids', () => {
    expect(validateKeyPolicy(doc(admin, admin))).toEqual(['key policy Sid: got "Admin"; allowed: each Sid once']);
  });

  test('size: 32768 bytes pass, 32769 fail', () => {
    const base = doc(admin, { Sid: 'Pad', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:DescribeKey', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/x': '' } } });
    const baseBytes = Buffer.byteLength(JSON.stringify(base));
    const padded = (bytes: number): PolicyDocument => doc(admin, {
      ...base.Statement[1], Condition: { StringEquals: { 'aws:PrincipalTag/x': 'p'.repeat(bytes - baseBytes) } },
    });
    expect(validateKeyPolicy(padded(32_768))).toEqual([]);
    expect(validateKeyPolicy(padded(32_769))).toEqual(['key policy size: got "32769 bytes"; allowed: at most 32768 bytes']);
  });

  test('characters: Latin-1 passes; anything beyond U+00FF is named (KMS refuses the document)', () => {
    const tagged = (value: string): PolicyDocument => doc(admin, { Sid: 'Team', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:DescribeKey', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': value } } });
    expect(validateKeyPolicy(tagged('Équipe ÿ\ttab'))).toEqual([]);
    expect(validateKeyPolicy(tagged('チーム🚀チ'))).toEqual([
      'key policy characters: got "チーム🚀"; allowed: printable ASCII and Latin-1 characters (U+0020 to U+00FF), tab, LF and CR (KMS refuses others)',
    ]);
  });
});

test('the construct throws one IdcCmkError listing every problem', () => {
  // Loaded here so the pure checks above stay independent of cdktf.
  const { Testing } = require('cdktf') as typeof import('cdktf');
  const { IdentityCenterKey } = require('../../modules/identity-center-key') as typeof import('../../modules/identity-center-key');
  let caught: unknown;
  try {
    Testing.synthScope((scope) => new IdentityCenterKey(scope, 'idc', { ...VALID, rotationPeriodInDays: 10, administrators: [] }));
  } catch (e) {
    caught = e;
  }
  expect(isIdcCmkError(caught)).toBe(true);
  const err = caught as import('../../core/errors').IdcCmkError;
  expect(err.code).toBe('INPUT_INVALID');
  expect(err.message).toMatch(/^IdentityCenterKey "(.+\/)?idc": 2 problems$/);
  expect(err.details).toEqual([
    'rotationPeriodInDays: got 10; allowed: a whole number from 90 to 2560',
    expect.stringMatching(/^key policy administrators: got \["AdminsDescribeKey","AdminsViaIdentityCenter","AdminsViaIdentityStore"\]; allowed: at least one Allow/),
  ]);
});
