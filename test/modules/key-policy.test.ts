import { buildCrossAccountPolicies } from '../../modules/cross-account-policies';
import type { IdentityCenterKeyProps } from '../../modules/identity-center-key-props';
import { buildKeyPolicy } from '../../modules/policy/key-policy';
import { KEY_POLICY_SIDS } from '../../modules/policy/sids';
import { KEY_ADMIN_ACTIONS } from '../../modules/private/kms-actions';
import type { PolicyStatement } from '../../policy/types';

const ACCOUNT = '111122223333';
const DELEGATED = '444455556666';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const STORE = `arn:aws:identitystore::${ACCOUNT}:identitystore/d-1234567890`;
const BASE: IdentityCenterKeyProps = { account: ACCOUNT, region: 'us-east-1', instanceArn: INSTANCE, identityStoreId: 'd-1234567890' };

function statement(props: Partial<IdentityCenterKeyProps>, sid: string): PolicyStatement | undefined {
  return buildKeyPolicy({ ...BASE, ...props }).Statement.find((s) => s.Sid === sid);
}

test('default statements: least privilege, in a fixed order', () => {
  expect(buildKeyPolicy(BASE).Statement.map((s) => s.Sid)).toEqual([
    'KeyAdministration', 'IdentityCenterDescribeKey', 'IdentityCenterUseKey', 'IdentityStoreUseKey',
    'AdminsDescribeKey', 'AdminsViaIdentityCenter', 'AdminsViaIdentityStore',
  ]);
  expect(JSON.stringify(buildKeyPolicy(BASE))).not.toContain('kms:*');
  expect(JSON.stringify(buildKeyPolicy(BASE))).not.toContain('"Principal":"*"');
});

test('KeyAdministration: the account root by default, admin actions only (no cryptography)', () => {
  expect(statement({}, KEY_POLICY_SIDS.keyAdministration)).toEqual({
    Sid: 'KeyAdministration', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: KEY_ADMIN_ACTIONS, Resource: '*', Condition: undefined,
  });
  expect(KEY_ADMIN_ACTIONS).toContain('kms:PutKeyPolicy');
  expect(KEY_ADMIN_ACTIONS).not.toEqual(expect.arrayContaining(['kms:Decrypt']));
});

test('KeyAdministration: role patterns narrow the account root with ArnLike aws:PrincipalArn', () => {
  const pattern = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_KeyAdmin_*`;
  expect(statement({ administrators: [pattern, `arn:aws:iam::${DELEGATED}:root`] }, 'KeyAdministration')).toMatchObject({
    Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`, `arn:aws:iam::${DELEGATED}:root`] },
    Condition: { ArnLike: { 'aws:PrincipalArn': [pattern, `arn:aws:iam::${DELEGATED}:*`] } },
  });
  expect(statement({ administrators: [] }, 'KeyAdministration')).toBeUndefined();
});

test('IdentityCenterDescribeKey: both services, aws:SourceAccount, no encryption context', () => {
  expect(statement({}, 'IdentityCenterDescribeKey')).toEqual({
    Sid: 'IdentityCenterDescribeKey', Effect: 'Allow', Principal: { Service: ['identitystore.amazonaws.com', 'sso.amazonaws.com'] },
    Action: 'kms:DescribeKey', Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
  });
});

test.each([
  ['IdentityCenterUseKey', 'sso.amazonaws.com', 'kms:EncryptionContext:aws:sso:instance-arn', INSTANCE],
  ['IdentityStoreUseKey', 'identitystore.amazonaws.com', 'kms:EncryptionContext:aws:identitystore:identitystore-arn', STORE],
])('%s: the service, pinned to this instance', (sid, service, key, value) => {
  expect(statement({}, sid)).toEqual({
    Sid: sid, Effect: 'Allow', Principal: { Service: service },
    Action: ['kms:Decrypt', 'kms:ReEncryptTo', 'kms:ReEncryptFrom', 'kms:GenerateDataKeyWithoutPlaintext'], Resource: '*',
    Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT, [key]: value } },
  });
});

describe('pending instance modes', () => {
  const pending = { instanceArn: undefined, identityStoreId: undefined };
  test.each([
    [undefined, { StringLike: { 'kms:EncryptionContext:aws:sso:instance-arn': 'arn:aws:sso:::instance/*' } }],
    ['wildcard', { StringLike: { 'kms:EncryptionContext:aws:sso:instance-arn': 'arn:aws:sso:::instance/*' } }],
    ['key-configuration', { StringEquals: { 'kms:EncryptionContext:aws:sso:instance-arn': 'arn:aws:sso:::instance/purpose:KEY_CONFIGURATION' } }],
    ['omit', { StringLike: { 'kms:EncryptionContext:aws:sso:instance-arn': '*' } }],
  ] as const)('%p', (mode, pin) => {
    expect(statement({ ...pending, pendingInstance: mode }, 'IdentityCenterUseKey')?.Condition).toEqual(
      expect.objectContaining(Object.fromEntries(Object.entries(pin).map(([op, v]) => [op, expect.objectContaining(v)]))),
    );
  });
  test('the identity store follows the same mode, with the account in the ARN', () => {
    expect(statement({ ...pending, pendingInstance: 'key-configuration' }, 'IdentityStoreUseKey')?.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': ACCOUNT, 'kms:EncryptionContext:aws:identitystore:identitystore-arn': `arn:aws:identitystore::${ACCOUNT}:identitystore/purpose:KEY_CONFIGURATION` },
    });
  });
});

test.each([
  ['AdminsViaIdentityCenter', 'sso.*.amazonaws.com', { 'kms:EncryptionContext:aws:sso:instance-arn': INSTANCE }],
  ['AdminsViaIdentityStore', 'identitystore.*.amazonaws.com', { 'kms:EncryptionContext:aws:identitystore:identitystore-arn': STORE }],
])('%s: management and delegated-admin roots, via the service, pinned', (sid, via, pin) => {
  expect(statement({ delegatedAdminAccounts: [DELEGATED] }, sid)).toEqual({
    Sid: sid, Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`, `arn:aws:iam::${DELEGATED}:root`] },
    Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKeyWithoutPlaintext'], Resource: '*',
    Condition: { StringLike: { 'kms:ViaService': via }, StringEquals: pin },
  });
});

test('AdminsVia*: identityCenterAdministrators narrow with aws:PrincipalArn', () => {
  const role = `arn:aws:iam::${DELEGATED}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_DelegatedAdmin_*`;
  expect(statement({ delegatedAdminAccounts: [DELEGATED], identityCenterAdministrators: [role] }, 'AdminsViaIdentityCenter')).toMatchObject({
    Principal: { AWS: `arn:aws:iam::${DELEGATED}:root` }, Condition: { ArnLike: { 'aws:PrincipalArn': role } },
  });
});

test.each([
  ['OrgPrincipalsViaIdentityCenter', { organizationPrincipals: true }, { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij', 'kms:EncryptionContext:aws:sso:instance-arn': INSTANCE }, StringLike: { 'kms:ViaService': 'sso.*.amazonaws.com' } }],
  ['OrgPrincipalsViaIdentityStore', { organizationPrincipals: true }, { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij', 'kms:EncryptionContext:aws:identitystore:identitystore-arn': STORE }, StringLike: { 'kms:ViaService': 'identitystore.*.amazonaws.com' } }],
  ['ManagedApplicationsViaIdentityCenter', { managedApplications: true }, { Bool: { 'aws:PrincipalIsAWSService': 'true' }, StringEquals: { 'aws:SourceOrgID': 'o-abcdefghij', 'kms:EncryptionContext:aws:sso:instance-arn': INSTANCE }, StringLike: { 'kms:ViaService': 'sso.*.amazonaws.com' } }],
  ['ManagedApplicationsViaIdentityStore', { managedApplications: true }, { Bool: { 'aws:PrincipalIsAWSService': 'true' }, StringEquals: { 'aws:SourceOrgID': 'o-abcdefghij', 'kms:EncryptionContext:aws:identitystore:identitystore-arn': STORE }, StringLike: { 'kms:ViaService': 'identitystore.*.amazonaws.com' } }],
] as const)('%s: Principal "*", decrypt only, scoped to the organization', (sid, flags, condition) => {
  expect(statement({ organizationId: 'o-abcdefghij' }, sid)).toBeUndefined();
  expect(statement({ organizationId: 'o-abcdefghij', ...flags }, sid)).toEqual({
    Sid: sid, Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: condition,
  });
});

test('Auditors: read-only actions, narrowed', () => {
  const auditor = `arn:aws:iam::${ACCOUNT}:role/Auditor`;
  const s = statement({ auditors: [auditor] }, 'Auditors');
  expect(s).toMatchObject({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Condition: { ArnLike: { 'aws:PrincipalArn': auditor } } });
  for (const action of s?.Action as string[]) expect(action).toMatch(/^kms:(Describe|Get|List)/);
});

test('DelegatedAdminFullAccess: kms:* to the delegated-admin roots only when asked for by name', () => {
  expect(statement({ delegatedAdminAccounts: [DELEGATED] }, 'DelegatedAdminFullAccess')).toBeUndefined();
  expect(statement({ delegatedAdminAccounts: [DELEGATED], allowDelegatedAdminFullAccess: true }, 'DelegatedAdminFullAccess')).toEqual({
    Sid: 'DelegatedAdminFullAccess', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DELEGATED}:root` }, Action: 'kms:*', Resource: '*',
  });
});

test('extra statements are appended unchanged', () => {
  const extra: PolicyStatement = { Sid: 'Extra', Effect: 'Deny', Principal: '*', Action: 'kms:ScheduleKeyDeletion', Resource: '*' };
  expect(buildKeyPolicy({ ...BASE, extraStatements: [extra] }).Statement.at(-1)).toBe(extra);
});

test('other partitions: ARNs and kms:ViaService use the partition', () => {
  const doc = JSON.stringify(buildKeyPolicy({ ...BASE, partition: 'aws-cn', instanceArn: 'arn:aws-cn:sso:::instance/ssoins-1234567890abcdef' }));
  expect(doc).toContain('arn:aws-cn:iam::111122223333:root');
  expect(doc).toContain('sso.*.amazonaws.com.cn');
  expect(doc).toContain('arn:aws-cn:identitystore::111122223333:identitystore/d-1234567890');
});

describe('IAM policies for other accounts', () => {
  const docs = buildCrossAccountPolicies(BASE, 'mrk-1234');
  test('delegated administrator: AWS template, key ARN in every Region, plus ListAliases', () => {
    expect(docs.delegatedAdministrator.Statement).toEqual([
      { Sid: 'AllowCrossAccountKMSKeyUse', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'], Resource: `arn:aws:kms:*:${ACCOUNT}:key/mrk-1234` },
      { Sid: 'AllowListKMSKeyAliases', Effect: 'Allow', Action: 'kms:ListAliases', Resource: '*' },
    ]);
  });
  test('application administrators: decrypt via each service, pinned to the instance', () => {
    expect(docs.applicationAdministrators.Statement[1]).toEqual({
      Sid: 'AllowKMSKeyUseViaIdentityStore', Effect: 'Allow', Action: 'kms:Decrypt', Resource: `arn:aws:kms:*:${ACCOUNT}:key/mrk-1234`,
      Condition: { StringLike: { 'kms:ViaService': 'identitystore.*.amazonaws.com' }, StringEquals: { 'kms:EncryptionContext:aws:identitystore:identitystore-arn': STORE } },
    });
  });
});
