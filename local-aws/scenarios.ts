/**
 * Named worlds: `empty`, `example-fleet` (two organizations' management accounts with instances on
 * AWS owned keys, and a CI principal in a tooling account that may assume the tool's roles), and
 * `example-fleet-cmk` (the same, each instance already on its own customer managed key). Plus
 * {@link seedFleet} for 50-1,000 target tests and benchmarks.
 */
import { identityCenterKeyPolicy } from './fixtures';
import type { LocalCredentials, Seeder } from './seed';
import { identityStoreArn } from './state';

export const SCENARIO_NAMES = ['empty', 'example-fleet', 'example-fleet-cmk'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Roles the tool assumes in each management account. */
export const DRIFT_ROLE_NAME = 'idc-cmk-drift';
export const DEPLOY_ROLE_NAME = 'idc-cmk-deploy';
export const EXAMPLE_TOOLING_ACCOUNT = '333333333333';
/** Alias the CMK scenarios give each instance's key. */
export const EXAMPLE_KEY_ALIAS = 'alias/identity-center';
export const EXAMPLE_ROTATION_DAYS = 365;

export interface TargetInfo {
  readonly accountId: string;
  readonly orgId?: string;
  readonly region: string;
  readonly instanceArn: string;
  readonly identityStoreId: string;
  readonly credentials: LocalCredentials;
  readonly driftRoleArn: string;
  readonly deployRoleArn: string;
  /** Present when the scenario put the instance on a customer managed key. */
  readonly keyArn?: string;
  readonly aliasName?: string;
}

export interface ScenarioInfo {
  readonly name: ScenarioName | 'fleet';
  readonly targets: readonly TargetInfo[];
  /** The CI principal's credentials (tooling account), when the scenario has one. */
  readonly tooling?: LocalCredentials;
}

interface TargetSpec {
  readonly accountId: string;
  readonly orgId?: string;
  readonly region: string;
  readonly instanceArn?: string;
  readonly identityStoreId?: string;
}

function seedTarget(seed: Seeder, spec: TargetSpec, toolingAccount: string, withKey: boolean): TargetInfo {
  const credentials = seed.addAccount({ accountId: spec.accountId, orgId: spec.orgId });
  const drift = seed.addRole(spec.accountId, DRIFT_ROLE_NAME, { trustedAccounts: [toolingAccount, spec.accountId] });
  const deploy = seed.addRole(spec.accountId, DEPLOY_ROLE_NAME, { trustedAccounts: [toolingAccount, spec.accountId] });
  const instance = seed.addInstance({ accountId: spec.accountId, region: spec.region, instanceArn: spec.instanceArn, identityStoreId: spec.identityStoreId });
  let keyArn: string | undefined;
  if (withKey) {
    keyArn = seed.createKey({
      accountId: spec.accountId,
      region: spec.region,
      description: `IAM Identity Center ${instance.instanceArn}`,
      policy: identityCenterKeyPolicy({ accountId: spec.accountId, instanceArn: instance.instanceArn, identityStoreArn: identityStoreArn(spec.accountId, instance.identityStoreId) }),
      aliases: [EXAMPLE_KEY_ALIAS],
      rotationPeriodInDays: EXAMPLE_ROTATION_DAYS,
      tags: { ManagedBy: 'idc-cmk', InstanceArn: instance.instanceArn },
    }).arn;
    instance.encryption = { keyType: 'CUSTOMER_MANAGED_KEY', kmsKeyArn: keyArn, status: 'ENABLED' };
  }
  return {
    accountId: spec.accountId, orgId: spec.orgId, region: spec.region, instanceArn: instance.instanceArn, identityStoreId: instance.identityStoreId,
    credentials, driftRoleArn: drift.arn, deployRoleArn: deploy.arn, keyArn, aliasName: keyArn ? EXAMPLE_KEY_ALIAS : undefined,
  };
}

/** The two example organizations (management account, Region, instance, identity store, org ID). */
export const EXAMPLE_TARGETS: readonly TargetSpec[] = [
  { accountId: '111111111111', orgId: 'o-aaaaaaaaaa', region: 'us-east-1', instanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111', identityStoreId: 'd-1111111111' },
  { accountId: '222222222222', orgId: 'o-bbbbbbbbbb', region: 'eu-west-1', instanceArn: 'arn:aws:sso:::instance/ssoins-2222222222222222', identityStoreId: 'd-2222222222' },
];

export function loadScenario(seed: Seeder, name: ScenarioName): ScenarioInfo {
  if (name === 'empty') return { name, targets: [] };
  const tooling = seed.addAccount({ accountId: EXAMPLE_TOOLING_ACCOUNT, userName: 'ci' });
  const targets = EXAMPLE_TARGETS.map((t) => seedTarget(seed, t, EXAMPLE_TOOLING_ACCOUNT, name === 'example-fleet-cmk'));
  return { name, targets, tooling };
}

export interface FleetSpec {
  /** How many management accounts (one organization instance each). */
  readonly accounts: number;
  /** First account ID; the rest count up. @default 100000000000 */
  readonly firstAccountId?: number;
  /** Regions, assigned round-robin. @default ['us-east-1'] */
  readonly regions?: readonly string[];
  /** Put each instance on its own customer managed key (as example-fleet-cmk). @default false */
  readonly withKeys?: boolean;
  /** Tooling account whose CI principal may assume the roles. @default '333333333333' */
  readonly toolingAccountId?: string;
}

/** Seeds N targets with deterministic IDs: account `firstAccountId + i`, instance `ssoins-` + zero-padded i. */
export function seedFleet(seed: Seeder, spec: FleetSpec): ScenarioInfo {
  const first = spec.firstAccountId ?? 100_000_000_000;
  const regions = spec.regions ?? ['us-east-1'];
  const toolingAccount = spec.toolingAccountId ?? EXAMPLE_TOOLING_ACCOUNT;
  const tooling = seed.addAccount({ accountId: toolingAccount, userName: 'ci' });
  const targets: TargetInfo[] = [];
  for (let i = 0; i < spec.accounts; i++) {
    const accountId = String(first + i).padStart(12, '0');
    targets.push(
      seedTarget(seed, {
        accountId,
        orgId: `o-${String(i).padStart(10, '0')}`,
        region: regions[i % regions.length],
        instanceArn: `arn:aws:sso:::instance/ssoins-${String(i).padStart(16, '0')}`,
        identityStoreId: `d-${String(i).padStart(10, '0')}`,
      }, toolingAccount, spec.withKeys ?? false),
    );
  }
  return { name: 'fleet', targets, tooling };
}
