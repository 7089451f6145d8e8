import type { AwsPartition } from '../identity-center-key-props';

/** Partitions the construct supports, with the DNS suffix used in `kms:ViaService` values. */
export const PARTITION_DNS_SUFFIX: Readonly<Record<AwsPartition, string>> = {
  aws: 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-us-gov': 'amazonaws.com',
};

export const PARTITIONS = Object.keys(PARTITION_DNS_SUFFIX) as readonly AwsPartition[];

/** The partition a Region belongs to: `cn-*` to aws-cn, `us-gov-*` to aws-us-gov, the rest to aws. */
export function partitionOfRegion(region: string): AwsPartition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function isPartition(value: unknown): value is AwsPartition {
  return typeof value === 'string' && (PARTITIONS as readonly string[]).includes(value);
}

/** Service principals are the same name in every partition. */
export const SSO_SERVICE_PRINCIPAL = 'sso.amazonaws.com';
export const IDENTITYSTORE_SERVICE_PRINCIPAL = 'identitystore.amazonaws.com';

/** `sso.*.amazonaws.com` style `kms:ViaService` pattern for a service in a partition. */
export function viaServicePattern(service: 'sso' | 'identitystore', partition: AwsPartition): string {
  return `${service}.*.${PARTITION_DNS_SUFFIX[partition]}`;
}

export function accountRootArn(partition: AwsPartition, account: string): string {
  return `arn:${partition}:iam::${account}:root`;
}

export function identityStoreArn(partition: AwsPartition, account: string, identityStoreId: string): string {
  return `arn:${partition}:identitystore::${account}:identitystore/${identityStoreId}`;
}
