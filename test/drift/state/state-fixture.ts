/** A hand-written Terraform state (format 4) as cdktf + provider 6 would write for one target. */
export const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/mrk-1111';
export const INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
export const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Admins', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }],
});

export function resource(type: string, name: string, attributes: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { mode: 'managed', type, name, provider: 'provider["hashicorp/aws"]', instances: [{ schema_version: 0, attributes }], ...extra };
}

export function targetRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'idc-cmk/target',
    schema_version: 1,
    target: 'prod-eu',
    account: '111122223333',
    region: 'eu-west-1',
    partition: 'aws',
    instance_arn: INSTANCE_ARN,
    identity_store_id: 'd-1234567890',
    identity_store_arn: 'arn:aws:identitystore::111122223333:identitystore/d-1234567890',
    ...overrides,
  };
}

export function encryptionRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { kind: 'idc-cmk/instance-encryption', schema_version: 1, instance_arn: INSTANCE_ARN, region: 'eu-west-1', key_type: 'CUSTOMER_MANAGED_KEY', kms_key_arn: KEY_ARN, ...overrides };
}

/** terraform_data stores `input` as a dynamic value. */
export const dynamic = (value: Record<string, unknown>): Record<string, unknown> => ({ value, type: ['object', {}] });

export function keyAttributes(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    arn: KEY_ARN,
    key_id: 'mrk-1111',
    id: 'mrk-1111',
    description: 'Identity Center key',
    multi_region: true,
    customer_master_key_spec: 'SYMMETRIC_DEFAULT',
    key_usage: 'ENCRYPT_DECRYPT',
    is_enabled: true,
    enable_key_rotation: true,
    rotation_period_in_days: 365,
    policy: POLICY,
    region: 'eu-west-1',
    tags: { Owner: 'platform' },
    tags_all: { Owner: 'platform', ManagedBy: 'idc-cmk' },
    ...overrides,
  };
}

export function fullState(resources?: Record<string, unknown>[]): Record<string, unknown> {
  return {
    version: 4,
    terraform_version: '1.9.8',
    serial: 7,
    lineage: 'c0ffee00-0000-0000-0000-000000000000',
    outputs: {},
    resources: resources ?? [
      resource('aws_kms_key', 'key', keyAttributes()),
      resource('aws_kms_alias', 'alias', { name: 'alias/idc', target_key_id: 'mrk-1111', arn: 'arn:aws:kms:eu-west-1:111122223333:alias/idc' }),
      resource('aws_kms_alias', 'alias_replica', { name: 'alias/idc', target_key_id: 'mrk-1111', region: 'eu-central-1' }),
      resource('aws_kms_replica_key', 'replica', {
        arn: 'arn:aws:kms:eu-central-1:111122223333:key/mrk-1111',
        key_id: 'mrk-1111',
        primary_key_arn: KEY_ARN,
        description: 'Identity Center key',
        enabled: true,
        policy: POLICY,
        tags: { Owner: 'platform' },
      }),
      resource('terraform_data', 'target', { id: 'x', input: dynamic(targetRecord()), output: dynamic(targetRecord()) }),
      resource('terraform_data', 'encryption', { id: 'y', input: dynamic(encryptionRecord()) }),
    ],
  };
}
