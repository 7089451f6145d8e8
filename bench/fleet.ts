/**
 * Synthetic fleets for benchmarks: N targets in N accounts, spread over Regions, with the same IDs the
 * local endpoint's `seedFleet` creates (account 100000000000 + i, instance ssoins-<i>, store d-<i>).
 */
export interface SyntheticTarget {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly instanceArn: string;
  readonly identityStoreId: string;
  readonly organizationId: string;
}

export const FLEET_REGIONS = ['us-east-1', 'eu-west-1'] as const;
export const FIRST_ACCOUNT = 100_000_000_000;

export function syntheticFleet(count: number): SyntheticTarget[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `t${String(i).padStart(4, '0')}`,
    account: String(FIRST_ACCOUNT + i),
    region: FLEET_REGIONS[i % FLEET_REGIONS.length],
    instanceArn: `arn:aws:sso:::instance/ssoins-${String(i).padStart(16, '0')}`,
    identityStoreId: `d-${String(i).padStart(10, '0')}`,
    organizationId: `o-${String(i).padStart(10, '0')}`,
  }));
}

/** The fleet as a rollout file (JSON text is valid YAML), with a deploy and a drift role per account. */
export function fleetRolloutFile(targets: readonly SyntheticTarget[]): string {
  return JSON.stringify(
    {
      version: 1,
      defaults: {
        aliases: ['alias/identity-center'],
        tags: { ManagedBy: 'idc-cmk', Benchmark: 'true' },
        assumeRole: { roleArn: 'arn:{partition}:iam::{account}:role/idc-cmk-deploy' },
        drift: { roleArn: 'arn:{partition}:iam::{account}:role/idc-cmk-drift' },
      },
      targets: targets.map((t) => ({
        name: t.name,
        account: t.account,
        region: t.region,
        instanceArn: t.instanceArn,
        identityStoreId: t.identityStoreId,
        organizationId: t.organizationId,
      })),
    },
    null,
    1,
  );
}
