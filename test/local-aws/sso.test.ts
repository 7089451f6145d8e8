import { CreateKeyCommand, KMSClient, type CreateKeyCommandInput } from '@aws-sdk/client-kms';
import { DescribeInstanceCommand, ListInstancesCommand, SSOAdminClient, UpdateInstanceCommand } from '@aws-sdk/client-sso-admin';
import { identityCenterKeyPolicy, startLocalAws, type LocalAws } from '../../local-aws';
import { clients, errorOf } from './helpers';

const MGMT = '111111111111';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1111111111111111';
const IDENTITY_STORE = 'arn:aws:identitystore::111111111111:identitystore/d-1111111111';
const UPDATE_DELAY_MS = 20;
let local: LocalAws;
let kms: KMSClient;
let sso: SSOAdminClient;

beforeEach(async () => {
  local = await startLocalAws({ scenario: 'example-fleet', instanceUpdateDelayMs: UPDATE_DELAY_MS });
  ({ kms, sso } = clients(local, MGMT));
});
afterEach(async () => {
  kms.destroy();
  sso.destroy();
  await local.stop();
});

const goodPolicy = (instanceArn = INSTANCE) => identityCenterKeyPolicy({ accountId: MGMT, instanceArn, identityStoreArn: IDENTITY_STORE });

async function keyWith(input: CreateKeyCommandInput): Promise<string> {
  return (await kms.send(new CreateKeyCommand(input))).KeyMetadata!.Arn!;
}

/** Polls DescribeInstance until the encryption status leaves UPDATING (as the tool does). */
async function settled() {
  for (;;) {
    const out = await sso.send(new DescribeInstanceCommand({ InstanceArn: INSTANCE }));
    if (out.EncryptionConfigurationDetails?.EncryptionStatus !== 'UPDATING') return out.EncryptionConfigurationDetails!;
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('ListInstances shows the caller account instance in its Region, without encryption fields', async () => {
  const out = await sso.send(new ListInstancesCommand({}));
  expect(out.Instances).toEqual([expect.objectContaining({ InstanceArn: INSTANCE, IdentityStoreId: 'd-1111111111', OwnerAccountId: MGMT, Status: 'ACTIVE' })]);
  expect(JSON.stringify(out.Instances)).not.toContain('Encryption');
  const eu = clients(local, MGMT, 'eu-west-1').sso;
  expect((await eu.send(new ListInstancesCommand({}))).Instances).toEqual([]);
  eu.destroy();
});

test('DescribeInstance starts on the AWS owned key; another account gets AccessDenied', async () => {
  expect((await sso.send(new DescribeInstanceCommand({ InstanceArn: INSTANCE }))).EncryptionConfigurationDetails).toEqual({ KeyType: 'AWS_OWNED_KMS_KEY', EncryptionStatus: 'ENABLED' });
  const other = clients(local, '222222222222', 'us-east-1').sso;
  expect((await errorOf(other.send(new DescribeInstanceCommand({ InstanceArn: INSTANCE })))).name).toBe('AccessDeniedException');
  other.destroy();
});

test('UpdateInstance to a key Identity Center can use: UPDATING, then ENABLED on that key; back to the AWS owned key', async () => {
  const keyArn = await keyWith({ Policy: goodPolicy() });
  await sso.send(new UpdateInstanceCommand({ InstanceArn: INSTANCE, EncryptionConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY', KmsKeyArn: keyArn } }));
  expect((await sso.send(new DescribeInstanceCommand({ InstanceArn: INSTANCE }))).EncryptionConfigurationDetails!.EncryptionStatus).toBe('UPDATING');
  expect(await settled()).toEqual({ KeyType: 'CUSTOMER_MANAGED_KEY', KmsKeyArn: keyArn, EncryptionStatus: 'ENABLED' });
  await sso.send(new UpdateInstanceCommand({ InstanceArn: INSTANCE, EncryptionConfiguration: { KeyType: 'AWS_OWNED_KMS_KEY' } }));
  expect(await settled()).toEqual({ KeyType: 'AWS_OWNED_KMS_KEY', EncryptionStatus: 'ENABLED' });
});

test('a second update while UPDATING is a ConflictException', async () => {
  const keyArn = await keyWith({ Policy: goodPolicy() });
  await sso.send(new UpdateInstanceCommand({ InstanceArn: INSTANCE, EncryptionConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY', KmsKeyArn: keyArn } }));
  expect((await errorOf(sso.send(new UpdateInstanceCommand({ InstanceArn: INSTANCE, EncryptionConfiguration: { KeyType: 'AWS_OWNED_KMS_KEY' } })))).name).toBe('ConflictException');
});

describe('UPDATE_FAILED keeps the previous key in use and says why', () => {
  const cases: [string, () => Promise<string>, RegExp][] = [
    ['the policy does not mention Identity Center', () => keyWith({}), /KMS_AccessDeniedException.*sso\.amazonaws\.com kms:Decrypt/],
    ['the encryption context is pinned to another instance', () => keyWith({ Policy: goodPolicy('arn:aws:sso:::instance/ssoins-9999999999999999') }), /KMS_AccessDeniedException.*sso\.amazonaws\.com kms:Decrypt/],
    ['the key is disabled', async () => {
      const arn = await keyWith({ Policy: goodPolicy() });
      local.tamper.disableKey(arn);
      return arn;
    }, /KMS_DisabledException/],
    ['the key is pending deletion', async () => {
      const arn = await keyWith({ Policy: goodPolicy() });
      local.tamper.scheduleKeyDeletion(arn, 7);
      return arn;
    }, /KMS_InvalidStateException.*PendingDeletion/],
    ['the key is not symmetric', () => keyWith({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT', Policy: goodPolicy() }), /KMS_InvalidKeyUsageException/],
    ['the key is in another Region', async () => {
      const eu = clients(local, MGMT, 'eu-west-1').kms;
      const arn = (await eu.send(new CreateKeyCommand({ Policy: goodPolicy() }))).KeyMetadata!.Arn!;
      eu.destroy();
      return arn;
    }, /KMS_NotFoundException.*eu-west-1/],
    ['the key is in another account', async () => {
      const other = clients(local, '222222222222', 'us-east-1').kms;
      // A policy for another account's principals locks the creator out: KMS wants the bypass flag.
      const arn = (await other.send(new CreateKeyCommand({ Policy: goodPolicy(), BypassPolicyLockoutSafetyCheck: true }))).KeyMetadata!.Arn!;
      other.destroy();
      return arn;
    }, /KMS_AccessDeniedException.*account 222222222222/],
    ['the key ARN names another partition', async () => (await keyWith({ Policy: goodPolicy() })).replace('arn:aws:', 'arn:aws-us-gov:'), /KMS_NotFoundException.*not a key in partition aws/],
  ];

  test.each(cases)('%s', async (_name, makeKey, reason) => {
    const keyArn = await makeKey();
    await sso.send(new UpdateInstanceCommand({ InstanceArn: INSTANCE, EncryptionConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY', KmsKeyArn: keyArn } }));
    const details = await settled();
    expect(details).toMatchObject({ KeyType: 'AWS_OWNED_KMS_KEY', EncryptionStatus: 'UPDATE_FAILED' });
    expect(details.KmsKeyArn).toBeUndefined();
    expect(details.EncryptionStatusReason).toMatch(reason);
  });

  test('an account instance cannot use a customer managed key', async () => {
    const instance = local.seed.addInstance({ accountId: MGMT, region: 'us-east-1', organization: false });
    const keyArn = await keyWith({ Policy: identityCenterKeyPolicy({ accountId: MGMT, instanceArn: instance.instanceArn, identityStoreArn: `arn:aws:identitystore::${MGMT}:identitystore/${instance.identityStoreId}` }) });
    await sso.send(new UpdateInstanceCommand({ InstanceArn: instance.instanceArn, EncryptionConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY', KmsKeyArn: keyArn } }));
    await new Promise((r) => setTimeout(r, UPDATE_DELAY_MS * 3));
    const details = (await sso.send(new DescribeInstanceCommand({ InstanceArn: instance.instanceArn }))).EncryptionConfigurationDetails!;
    expect(details.EncryptionStatus).toBe('UPDATE_FAILED');
    expect(details.EncryptionStatusReason).toMatch(/organization instances/);
  });
});

describe('UpdateInstance validation', () => {
  test('more than one of EncryptionConfiguration / PermissionSetsEnabled / Name is a ValidationException', async () => {
    const e = await errorOf(sso.send(new UpdateInstanceCommand({ InstanceArn: INSTANCE, Name: 'x', EncryptionConfiguration: { KeyType: 'AWS_OWNED_KMS_KEY' } })));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toContain('EncryptionConfiguration, Name');
  });

  test('KmsKeyArn with AWS_OWNED_KMS_KEY, or missing with CUSTOMER_MANAGED_KEY, is a ValidationException', async () => {
    const keyArn = await keyWith({ Policy: goodPolicy() });
    expect((await errorOf(sso.send(new UpdateInstanceCommand({ InstanceArn: INSTANCE, EncryptionConfiguration: { KeyType: 'AWS_OWNED_KMS_KEY', KmsKeyArn: keyArn } })))).name).toBe('ValidationException');
    expect((await errorOf(sso.send(new UpdateInstanceCommand({ InstanceArn: INSTANCE, EncryptionConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY' } })))).name).toBe('ValidationException');
    expect((await sso.send(new DescribeInstanceCommand({ InstanceArn: INSTANCE }))).EncryptionConfigurationDetails!.EncryptionStatus).toBe('ENABLED');
  });
});
