/** Hand-built ExpectedTarget / LiveTarget values for the pure stages (no SDK, no state files). */
import type { ExpectedTarget, LiveKeyMetadata, LiveTarget, Read, ReadFailure } from '../../../drift/model';

export const ACCOUNT = '111122223333';
export const KEY_ID = 'mrk-1111';
export const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${KEY_ID}`;
export const REPLICA_ARN = `arn:aws:kms:eu-central-1:${ACCOUNT}:key/${KEY_ID}`;
export const INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
export const STORE_ARN = `arn:aws:identitystore::${ACCOUNT}:identitystore/d-1234567890`;

const SERVICES = ['identitystore.amazonaws.com', 'sso.amazonaws.com'];

export function policyDoc(): { Version: string; Statement: Record<string, unknown>[] } {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'KeyAdministration', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
      { Sid: 'KeyAdminRole', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/KeyAdmin` }, Action: ['kms:DescribeKey', 'kms:PutKeyPolicy'], Resource: '*' },
      {
        Sid: 'IdentityCenterDescribeKey',
        Effect: 'Allow',
        Principal: { Service: SERVICES },
        Action: 'kms:DescribeKey',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      },
      {
        Sid: 'IdentityCenterUseKey',
        Effect: 'Allow',
        Principal: { Service: SERVICES },
        Action: ['kms:Decrypt', 'kms:ReEncryptTo', 'kms:ReEncryptFrom', 'kms:GenerateDataKeyWithoutPlaintext'],
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': ACCOUNT },
          'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['aws:sso:instance-arn', 'aws:identitystore:identitystore-arn'] },
        },
      },
    ],
  };
}

export const POLICY = JSON.stringify(policyDoc());

/** What AWS hands back: statements reversed, one-element lists, a different key order. */
export function reserialised(doc = policyDoc()): string {
  const statements = [...doc.Statement].reverse().map((s) => {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(s).reverse()) out[k] = s[k];
    if (typeof out.Action === 'string') out.Action = [out.Action];
    return out;
  });
  return JSON.stringify({ Statement: statements, Version: doc.Version }, null, 4);
}

export function expectedTarget(overrides: Partial<ExpectedTarget> = {}): ExpectedTarget {
  return {
    target: 'prod-eu',
    stateSource: 'terraform.prod-eu.tfstate',
    account: ACCOUNT,
    region: 'eu-west-1',
    partition: 'aws',
    instanceArn: INSTANCE_ARN,
    identityStoreId: 'd-1234567890',
    identityStoreArn: STORE_ARN,
    key: {
      address: 'aws_kms_key.key',
      keyId: KEY_ID,
      arn: KEY_ARN,
      account: ACCOUNT,
      region: 'eu-west-1',
      description: 'Identity Center key',
      multiRegion: true,
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      enabled: true,
      rotationEnabled: true,
      rotationPeriodInDays: 365,
      policy: POLICY,
      policyAddress: 'aws_kms_key.key',
      tags: { Owner: 'platform' },
      tagsAll: { ManagedBy: 'idc-cmk', Owner: 'platform' },
    },
    aliases: [
      { address: 'aws_kms_alias.alias', name: 'alias/idc', targetKeyId: KEY_ID, region: 'eu-west-1' },
      { address: 'aws_kms_alias.alias_replica', name: 'alias/idc', targetKeyId: KEY_ID, region: 'eu-central-1' },
    ],
    replicas: [
      {
        address: 'aws_kms_replica_key.replica',
        keyId: KEY_ID,
        arn: REPLICA_ARN,
        region: 'eu-central-1',
        description: 'Identity Center key',
        enabled: true,
        policy: POLICY,
        tags: { Owner: 'platform' },
      },
    ],
    encryption: {
      address: 'terraform_data.encryption',
      instanceArn: INSTANCE_ARN,
      region: 'eu-west-1',
      keyType: 'CUSTOMER_MANAGED_KEY',
      kmsKeyArn: KEY_ARN,
    },
    ...overrides,
  };
}

export const ok = <T>(value: T): Read<T> => ({ ok: true, value });
export const fail = (operation: string, code: ReadFailure['code'] = 'AWS_ACCESS_DENIED'): Read<never> => ({
  ok: false,
  error: { code, operation, message: `${operation}: ${code === 'AWS_ACCESS_DENIED' ? 'AccessDeniedException: not authorized' : code}` },
});

export function metadata(overrides: Partial<LiveKeyMetadata> = {}): LiveKeyMetadata {
  return {
    keyId: KEY_ID,
    arn: KEY_ARN,
    account: ACCOUNT,
    keyState: 'Enabled',
    enabled: true,
    description: 'Identity Center key',
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    origin: 'AWS_KMS',
    keyManager: 'CUSTOMER',
    multiRegion: true,
    multiRegionKeyType: 'PRIMARY',
    ...overrides,
  };
}

/** A live target that matches {@link expectedTarget} exactly (as AWS would re-serialise it). */
export function liveTarget(overrides: { key?: Partial<LiveTarget['key']>; replicas?: LiveTarget['replicas']; instance?: LiveTarget['instance'] } = {}): LiveTarget {
  return {
    target: 'prod-eu',
    key: {
      metadata: ok(metadata()),
      policy: ok(reserialised()),
      rotation: ok({ enabled: true, periodInDays: 365 }),
      aliases: ok(['alias/idc']),
      expectedAliases: ok([
        { name: 'alias/idc', targetKeyId: KEY_ID },
        { name: 'alias/idc', targetKeyId: KEY_ID },
      ]),
      tags: ok({ ManagedBy: 'idc-cmk', Owner: 'platform' }),
      ...overrides.key,
    },
    replicas: overrides.replicas ?? [
      {
        region: 'eu-central-1',
        metadata: ok(metadata({ arn: REPLICA_ARN, multiRegionKeyType: 'REPLICA' })),
        policy: ok(reserialised()),
        tags: ok({ Owner: 'platform' }),
      },
    ],
    instance:
      'instance' in overrides
        ? overrides.instance
        : ok({ instanceArn: INSTANCE_ARN, keyType: 'CUSTOMER_MANAGED_KEY', kmsKeyArn: KEY_ARN, encryptionStatus: 'ENABLED' }),
  };
}
