/**
 * What the key policy MEANS, checked with an independent IAM evaluator (@cloud-copilot/iam-simulate,
 * test-only). `runSimulation` drops `kms:EncryptionContext:*` keys, so the matrix uses
 * `runUnsafeSimulation` with a resource policy validated by `validateResourcePolicy` first.
 */
import { createValidatedPolicy, validateResourcePolicy } from '@cloud-copilot/iam-policy';
import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import type { IdentityCenterKeyProps } from '../../modules/identity-center-key-props';
import { buildKeyPolicy } from '../../modules/policy/key-policy';
import { renderPolicy } from '../../policy/render';

const ACCOUNT = '111122223333';
const DELEGATED = '444455556666';
const UNRELATED = '999988887777';
const ORG = 'o-abcdefghij';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const OTHER_INSTANCE = 'arn:aws:sso:::instance/ssoins-fedcba0987654321';
const STORE = `arn:aws:identitystore::${ACCOUNT}:identitystore/d-1234567890`;
const OTHER_STORE = `arn:aws:identitystore::${ACCOUNT}:identitystore/d-0987654321`;
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab`;
const KEY_ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_KeyAdmin_0123456789abcdef`;
const IDC_ADMIN_ROLE = `arn:aws:iam::${DELEGATED}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_IdcAdmin_0123456789abcdef`;
const AUDITOR_ROLE = `arn:aws:iam::${ACCOUNT}:role/Auditor`;

const PROPS: IdentityCenterKeyProps = {
  account: ACCOUNT,
  region: 'us-east-1',
  instanceArn: INSTANCE,
  identityStoreId: 'd-1234567890',
  organizationId: ORG,
  delegatedAdminAccounts: [DELEGATED],
  administrators: [`arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_KeyAdmin_*`],
  identityCenterAdministrators: [
    `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_IdcAdmin_*`,
    `arn:aws:iam::${DELEGATED}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_IdcAdmin_*`,
  ],
  auditors: [AUDITOR_ROLE],
  managedApplications: true,
  organizationPrincipals: true,
};

// The rendered JSON, parsed back: what KMS would receive.
const KEY_POLICY = JSON.parse(renderPolicy(buildKeyPolicy(PROPS)));
const ALLOW_ALL_KMS = { name: 'allow-kms', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] } };

test('the rendered key policy is a valid resource policy', () => {
  expect(validateResourcePolicy(KEY_POLICY)).toEqual([]);
});

type Context = Record<string, string | string[]>;

/**
 * Evaluates one request; IAM principals get an identity policy allowing kms:*, so the key policy decides.
 * The unsafe engine does not derive request keys from the principal, so they are supplied as AWS would.
 */
function evaluate(principal: string, action: string, context: Context): string {
  const isService = principal.endsWith('.amazonaws.com');
  const principalKeys: Context = isService
    ? { 'aws:PrincipalIsAWSService': 'true', 'aws:PrincipalServiceName': principal }
    : { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': principal.split(':')[4], 'aws:PrincipalIsAWSService': 'false' };
  return runUnsafeSimulation({
    identityPolicies: isService ? [] : [ALLOW_ALL_KMS],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: createValidatedPolicy(KEY_POLICY, validateResourcePolicy, { name: 'KeyPolicy' }),
    request: { principal, action, resource: { resource: KEY_ARN, accountId: ACCOUNT }, contextVariables: { ...principalKeys, ...context } },
  }, {});
}

const ssoContext = (instance: string, extra: Context = {}): Context => ({ 'kms:EncryptionContext:aws:sso:instance-arn': instance, 'kms:EncryptionContextKeys': ['aws:sso:instance-arn', 'tenant-key-id'], ...extra });
const storeContext = (store: string, extra: Context = {}): Context => ({ 'kms:EncryptionContext:aws:identitystore:identitystore-arn': store, 'kms:EncryptionContextKeys': ['aws:identitystore:identitystore-arn', 'tenant-key-id'], ...extra });
const viaSso = { 'kms:ViaService': 'sso.us-east-1.amazonaws.com' };
const viaStore = { 'kms:ViaService': 'identitystore.us-east-1.amazonaws.com' };
const fromAccount = (account: string): Context => ({ 'aws:SourceAccount': account });

const ALLOWED = 'Allowed';
const DENIED = 'ImplicitlyDenied';

describe.each([
  // Identity Center and Identity Store themselves
  ['Identity Center decrypts for this instance', 'sso.amazonaws.com', 'kms:Decrypt', ssoContext(INSTANCE, fromAccount(ACCOUNT)), ALLOWED],
  ['Identity Center generates a data key for this instance', 'sso.amazonaws.com', 'kms:GenerateDataKeyWithoutPlaintext', ssoContext(INSTANCE, fromAccount(ACCOUNT)), ALLOWED],
  ['Identity Center, another instance\'s context', 'sso.amazonaws.com', 'kms:Decrypt', ssoContext(OTHER_INSTANCE, fromAccount(ACCOUNT)), DENIED],
  ['Identity Center, on behalf of another account', 'sso.amazonaws.com', 'kms:Decrypt', ssoContext(INSTANCE, fromAccount(UNRELATED)), DENIED],
  ['Identity Center with the identity store context', 'sso.amazonaws.com', 'kms:Decrypt', storeContext(STORE, fromAccount(ACCOUNT)), DENIED],
  ['Identity Center, no encryption context', 'sso.amazonaws.com', 'kms:Decrypt', fromAccount(ACCOUNT), DENIED],
  ['Identity Center describes the key', 'sso.amazonaws.com', 'kms:DescribeKey', fromAccount(ACCOUNT), ALLOWED],
  ['Identity Center cannot encrypt directly', 'sso.amazonaws.com', 'kms:Encrypt', ssoContext(INSTANCE, fromAccount(ACCOUNT)), DENIED],
  ['Identity Store decrypts for this store', 'identitystore.amazonaws.com', 'kms:Decrypt', storeContext(STORE, fromAccount(ACCOUNT)), ALLOWED],
  ['Identity Store re-encrypts for this store', 'identitystore.amazonaws.com', 'kms:ReEncryptFrom', storeContext(STORE, fromAccount(ACCOUNT)), ALLOWED],
  ['Identity Store, another store\'s context', 'identitystore.amazonaws.com', 'kms:Decrypt', storeContext(OTHER_STORE, fromAccount(ACCOUNT)), DENIED],
  ['Identity Store describes the key', 'identitystore.amazonaws.com', 'kms:DescribeKey', fromAccount(ACCOUNT), ALLOWED],
  ['An unrelated service', 'lambda.amazonaws.com', 'kms:Decrypt', ssoContext(INSTANCE, fromAccount(ACCOUNT)), DENIED],
  // Unrelated accounts
  ['An unrelated account via Identity Center', `arn:aws:iam::${UNRELATED}:role/Admin`, 'kms:Decrypt', ssoContext(INSTANCE, { ...viaSso, 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' }), DENIED],
  ['An unrelated account, direct', `arn:aws:iam::${UNRELATED}:role/Admin`, 'kms:DescribeKey', {}, DENIED],
  // Key administrators
  ['The key admin role changes the policy', KEY_ADMIN_ROLE, 'kms:PutKeyPolicy', {}, ALLOWED],
  ['The key admin role schedules deletion', KEY_ADMIN_ROLE, 'kms:ScheduleKeyDeletion', {}, ALLOWED],
  ['The key admin role cannot decrypt directly', KEY_ADMIN_ROLE, 'kms:Decrypt', ssoContext(INSTANCE), DENIED],
  ['Another role in the key account cannot change the policy', `arn:aws:iam::${ACCOUNT}:role/Developer`, 'kms:PutKeyPolicy', {}, DENIED],
  ['The delegated admin cannot change the policy', IDC_ADMIN_ROLE, 'kms:PutKeyPolicy', {}, DENIED],
  // Identity Center administrators through the services
  ['The delegated admin via Identity Center, this instance', IDC_ADMIN_ROLE, 'kms:Decrypt', ssoContext(INSTANCE, viaSso), ALLOWED],
  ['The delegated admin via Identity Store, this store', IDC_ADMIN_ROLE, 'kms:Encrypt', storeContext(STORE, viaStore), ALLOWED],
  ['The delegated admin via Identity Center, another instance', IDC_ADMIN_ROLE, 'kms:Decrypt', ssoContext(OTHER_INSTANCE, viaSso), DENIED],
  ['The delegated admin, directly (not via a service)', IDC_ADMIN_ROLE, 'kms:Decrypt', ssoContext(INSTANCE), DENIED],
  ['The delegated admin describes the key', IDC_ADMIN_ROLE, 'kms:DescribeKey', {}, ALLOWED],
  ['Another role in the delegated-admin account via Identity Center', `arn:aws:iam::${DELEGATED}:role/Developer`, 'kms:Encrypt', ssoContext(INSTANCE, viaSso), DENIED],
  // Organization principals and managed applications
  ['An org principal (application admin) decrypts via Identity Center', `arn:aws:iam::${UNRELATED}:role/AppAdmin`, 'kms:Decrypt', ssoContext(INSTANCE, { ...viaSso, 'aws:PrincipalOrgID': ORG }), ALLOWED],
  ['An org principal cannot encrypt', `arn:aws:iam::${UNRELATED}:role/AppAdmin`, 'kms:Encrypt', ssoContext(INSTANCE, { ...viaSso, 'aws:PrincipalOrgID': ORG }), DENIED],
  ['An org principal, another instance', `arn:aws:iam::${UNRELATED}:role/AppAdmin`, 'kms:Decrypt', ssoContext(OTHER_INSTANCE, { ...viaSso, 'aws:PrincipalOrgID': ORG }), DENIED],
  ['A managed application of the org via Identity Store', 'qbusiness.amazonaws.com', 'kms:Decrypt', storeContext(STORE, { ...viaStore, 'aws:SourceOrgID': ORG, 'aws:PrincipalIsAWSService': 'true' }), ALLOWED],
  ['A managed application of another org', 'qbusiness.amazonaws.com', 'kms:Decrypt', storeContext(STORE, { ...viaStore, 'aws:SourceOrgID': 'o-zzzzzzzzzz', 'aws:PrincipalIsAWSService': 'true' }), DENIED],
  // Auditors
  ['The auditor reads the policy', AUDITOR_ROLE, 'kms:GetKeyPolicy', {}, ALLOWED],
  ['The auditor reads rotation', AUDITOR_ROLE, 'kms:GetKeyRotationStatus', {}, ALLOWED],
  ['The auditor lists tags', AUDITOR_ROLE, 'kms:ListResourceTags', {}, ALLOWED],
  ['The auditor cannot decrypt', AUDITOR_ROLE, 'kms:Decrypt', ssoContext(INSTANCE, viaSso), DENIED],
  ['The auditor cannot change the policy', AUDITOR_ROLE, 'kms:PutKeyPolicy', {}, DENIED],
  ['The auditor cannot disable the key', AUDITOR_ROLE, 'kms:DisableKey', {}, DENIED],
  ['The auditor cannot tag', AUDITOR_ROLE, 'kms:TagResource', {}, DENIED],
] as const)('%s', (_name, principal, action, context, expected) => {
  test(`${principal} ${action} -> ${expected}`, () => {
    expect(evaluate(principal, action, context)).toBe(expected);
  });
});

test('the instance pin is what denies another instance: without an instance ARN (wildcard mode) it is allowed', () => {
  const unpinned = JSON.parse(renderPolicy(buildKeyPolicy({ ...PROPS, instanceArn: undefined })));
  const result = runUnsafeSimulation({
    identityPolicies: [], serviceControlPolicies: [], resourceControlPolicies: [],
    resourcePolicy: createValidatedPolicy(unpinned, validateResourcePolicy, { name: 'KeyPolicy' }),
    request: { principal: 'sso.amazonaws.com', action: 'kms:Decrypt', resource: { resource: KEY_ARN, accountId: ACCOUNT }, contextVariables: ssoContext(OTHER_INSTANCE, fromAccount(ACCOUNT)) },
  }, {});
  expect(result).toBe(ALLOWED);
});
