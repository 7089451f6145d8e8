/**
 * A local AWS-compatible endpoint (KMS, SSO Admin, STS and a minimal S3) for tests, benchmarks and the
 * demo. Start it with {@link startLocalAws}, point SDK clients at `url` (or `AWS_ENDPOINT_URL`), seed
 * a world, drift it with `tamper`, inject faults, and read the call log.
 */
export { startLocalAws, DEFAULT_INSTANCE_UPDATE_DELAY_MS, type LocalAws, type LocalAwsOptions, type LocalClientConfig } from './server';
export type { CallRecord } from './call-log';
export type { FaultError, FaultSettings, Faults } from './faults';
export { deterministicAccessKeyId, deterministicSecret, type AccountSpec, type BucketSpec, type InstanceSpec, type KeySpec, type LocalCredentials, type RoleSpec, type SeededKey, type Seeder } from './seed';
export type { Tamper } from './tamper';
export {
  DEPLOY_ROLE_NAME, DRIFT_ROLE_NAME, EXAMPLE_KEY_ALIAS, EXAMPLE_TARGETS, EXAMPLE_TOOLING_ACCOUNT, SCENARIO_NAMES,
  type FleetSpec, type ScenarioInfo, type ScenarioName, type TargetInfo,
} from './scenarios';
export { identityCenterKeyPolicy, type IdentityCenterPolicyContext } from './fixtures';
export { identityCenterPolicyGaps } from './sso/key-access';
