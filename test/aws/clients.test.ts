/** AwsClientFactory against the local endpoint: clients per role, one AssumeRole per role, release. */
import { ListAliasesCommand } from '@aws-sdk/client-kms';
import { AwsClientFactory } from '../../aws/clients';
import { DRIFT_ROLE_NAME, startLocalAws, type LocalAws, type ScenarioInfo } from '../../local-aws';

let local: LocalAws;
let fleet: ScenarioInfo;
let factory: AwsClientFactory;
beforeEach(async () => {
  local = await startLocalAws();
  fleet = local.seedFleet({ accounts: 2 });
  const ci = fleet.tooling!;
  factory = new AwsClientFactory({ env: { AWS_ENDPOINT_URL: local.url, AWS_ACCESS_KEY_ID: ci.accessKeyId, AWS_SECRET_ACCESS_KEY: ci.secretAccessKey } });
});
afterEach(async () => {
  factory.destroy();
  await local.stop();
});

const access = (i: number) => ({ region: 'us-east-1', roleArn: `arn:aws:iam::${fleet.targets[i]!.accountId}:role/${DRIFT_ROLE_NAME}` });
const assumeRoles = () => local.callLog().filter((c) => c.operation === 'AssumeRole').length;

test('one client per service, Region and role; one AssumeRole per role however many clients use it', async () => {
  const kms = factory.kms(access(0));
  expect(factory.kms(access(0))).toBe(kms);
  expect(factory.kms(access(1))).not.toBe(kms);
  await kms.send(new ListAliasesCommand({}));
  await factory.kms({ ...access(0), region: 'eu-west-1' }).send(new ListAliasesCommand({}));
  expect(assumeRoles()).toBe(1);
  const reads = local.callLog().filter((c) => c.operation === 'ListAliases');
  expect(reads.map((c) => c.accountId)).toEqual([fleet.targets[0]!.accountId, fleet.targets[0]!.accountId]);
});

test('release(access) forgets that role\'s clients and credentials, and only that role\'s', async () => {
  const first = factory.kms(access(0));
  const other = factory.kms(access(1));
  await first.send(new ListAliasesCommand({}));
  factory.release(access(0));
  const again = factory.kms(access(0));
  expect(again).not.toBe(first);
  expect(factory.kms(access(1))).toBe(other);
  await again.send(new ListAliasesCommand({}));
  // A released role is assumed again when it is used again (its credentials were forgotten).
  expect(assumeRoles()).toBe(2);
  // Released clients were dropped, not destroyed: the shared sockets still work for everyone.
  await other.send(new ListAliasesCommand({}));
  expect(local.callLog().filter((c) => c.operation === 'ListAliases' && !c.errorType)).toHaveLength(3);
});

test('release of the caller\'s own credentials (no role) keeps their clients', () => {
  const base = factory.kms({ region: 'us-east-1' });
  factory.release({ region: 'us-east-1' });
  expect(factory.kms({ region: 'us-east-1' })).toBe(base);
});
