/** Leased clients against the local endpoint: reuse across accounts, each call in its lease's account, aborts. */
import { DescribeKeyCommand, KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import { DescribeInstanceCommand } from '@aws-sdk/client-sso-admin';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { ClientPool, canSetCredentials, type PoolableClient } from '../../aws/client-pool';
import { AwsClientFactory } from '../../aws/clients';
import { DRIFT_ROLE_NAME, startLocalAws, type LocalAws, type ScenarioInfo } from '../../local-aws';

let local: LocalAws;
let fleet: ScenarioInfo;
let factory: AwsClientFactory;
beforeEach(async () => {
  local = await startLocalAws();
  fleet = local.seedFleet({ accounts: 3, withKeys: true });
  const ci = fleet.tooling!;
  factory = new AwsClientFactory({ env: { AWS_ENDPOINT_URL: local.url, AWS_ACCESS_KEY_ID: ci.accessKeyId, AWS_SECRET_ACCESS_KEY: ci.secretAccessKey }, maxAttempts: 2 });
});
afterEach(async () => {
  factory.destroy();
  await local.stop();
});

const account = (i: number) => fleet.targets[i]!.accountId;
const access = (i: number) => ({ region: 'us-east-1', roleArn: `arn:aws:iam::${account(i)}:role/${DRIFT_ROLE_NAME}` });
const callsOf = (operation: string) => local.callLog().filter((c) => c.operation === operation);

test('a released lease\'s clients serve the next account, and every call is signed as its own lease\'s account', async () => {
  const first = factory.lease(access(0));
  const kms = first.kms();
  await kms.send(new ListAliasesCommand({}));
  first.release();

  const second = factory.lease(access(1));
  expect(second.kms()).toBe(kms);
  await second.kms().send(new ListAliasesCommand({}));
  await second.kms().send(new ListAliasesCommand({}));
  second.release();

  const third = factory.lease(access(0));
  await third.kms().send(new ListAliasesCommand({}));
  third.release();

  expect(callsOf('ListAliases').map((c) => [c.accountId, c.errorType ?? 'ok'])).toEqual([
    [account(0), 'ok'],
    [account(1), 'ok'],
    [account(1), 'ok'],
    [account(0), 'ok'],
  ]);
  // Role credentials are shared, not re-assumed per lease.
  expect(callsOf('AssumeRole')).toHaveLength(2);
});

test('leases held at the same time never share a client; each keeps its account under concurrent calls', async () => {
  const leases = [0, 1, 2].map((i) => factory.lease(access(i)));
  const clients = leases.map((l) => l.kms());
  expect(new Set(clients).size).toBe(3);
  await Promise.all(leases.flatMap((l) => [1, 2, 3].map(() => l.kms().send(new ListAliasesCommand({})))));
  const byAccount = new Map<string, number>();
  for (const c of callsOf('ListAliases')) {
    expect(c.errorType).toBeUndefined();
    byAccount.set(c.accountId!, (byAccount.get(c.accountId!) ?? 0) + 1);
  }
  expect(Object.fromEntries(byAccount)).toEqual({ [account(0)]: 3, [account(1)]: 3, [account(2)]: 3 });
  for (const l of leases) l.release();
});

test('a client that met an error response (throttling) is not pooled again: its retry state stays with its account', async () => {
  local.faults.set({ failAccounts: { [account(0)]: { errorType: 'ThrottlingException', message: 'Rate exceeded', status: 400 } } });
  const throttled = factory.lease(access(0));
  const kms = throttled.kms();
  await expect(kms.send(new ListAliasesCommand({}))).rejects.toThrow(/Rate exceeded/);
  throttled.release();
  const next = factory.lease(access(1));
  expect(next.kms()).not.toBe(kms);
  await next.kms().send(new ListAliasesCommand({}));
  const healthy = next.kms();
  next.release();
  // A client that only met successes is reused.
  const after = factory.lease(access(2));
  expect(after.kms()).toBe(healthy);
  after.release();
});

test('one client per service and Region within a lease; the default Region is the target\'s', async () => {
  const lease = factory.lease(access(0));
  expect(lease.kms()).toBe(lease.kms('us-east-1'));
  expect(lease.kms('eu-west-1')).not.toBe(lease.kms());
  expect(await lease.kms('eu-west-1').config.region()).toBe('eu-west-1');
  const sso = lease.ssoAdmin();
  await sso.send(new DescribeInstanceCommand({ InstanceArn: fleet.targets[0]!.instanceArn })).catch(() => undefined);
  expect(callsOf('DescribeInstance')[0]?.accountId).toBe(account(0));
  lease.release();
});

test('an aborted lease cancels its calls in flight and its clients are never handed out again', async () => {
  // The role's credentials first (AssumeRole would be slow too), so that the abort hits the KMS call.
  await (factory.credentialsFor(access(0)) as AwsCredentialIdentityProvider)();
  local.faults.set({ latencyMs: 5_000 });
  const controller = new AbortController();
  const lease = factory.lease(access(0), controller.signal);
  const kms = lease.kms();
  const started = Date.now();
  const call = kms.send(new DescribeKeyCommand({ KeyId: 'alias/anything' }));
  setTimeout(() => controller.abort(), 100);
  await expect(call).rejects.toMatchObject({ name: 'AbortError' });
  expect(Date.now() - started).toBeLessThan(2_000);
  lease.release();
  local.faults.clear();
  const next = factory.lease(access(1));
  expect(next.kms()).not.toBe(kms);
  next.release();
});

test('release is idempotent: a client goes back to the pool once', () => {
  const lease = factory.lease(access(0));
  const kms = lease.kms();
  lease.release();
  lease.release();
  const a = factory.lease(access(1));
  const b = factory.lease(access(2));
  expect(a.kms()).toBe(kms);
  expect(b.kms()).not.toBe(kms);
});

test('clients whose credentials cannot be set are never pooled', () => {
  const made: PoolableClient[] = [];
  const pool = new ClientPool({} as NodeHttpHandler, () => {
    const client = { config: { credentials: undefined as unknown } };
    made.push(client);
    return client;
  });
  expect(canSetCredentials(made[0] ?? { config: { credentials: 1 } })).toBe(false);
  const first = pool.lease('us-east-1', { accessKeyId: 'a', secretAccessKey: 'b' });
  first.kms();
  first.release();
  expect(pool.idleCount()).toBe(0);
  const second = pool.lease('us-east-1', { accessKeyId: 'c', secretAccessKey: 'd' });
  second.kms();
  expect(made).toHaveLength(2);
});

test('SDK clients can have their credentials set (what pooling relies on)', () => {
  expect(canSetCredentials(new KMSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }))).toBe(true);
});
