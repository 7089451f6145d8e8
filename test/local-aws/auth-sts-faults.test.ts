import { DescribeKeyCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeInstanceCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startLocalAws, type LocalAws } from '../../local-aws';
import { clients, errorOf } from './helpers';

const MGMT = '111111111111';
const TOOLING = '333333333333';
const DRIFT_ROLE = 'arn:aws:iam::111111111111:role/idc-cmk-drift';
let local: LocalAws;

beforeEach(async () => {
  local = await startLocalAws({ scenario: 'example-fleet' });
});
afterEach(async () => {
  await local.stop();
});

async function assume(roleArn = DRIFT_ROLE) {
  const { sts } = clients(local, TOOLING);
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'drift-test' }));
  sts.destroy();
  return { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
}

describe('signature verification', () => {
  test('a wrong secret is InvalidSignatureException (KMS, SSO) and SignatureDoesNotMatch (STS), never success', async () => {
    const wrong = { accessKeyId: 'AKIDLOCAL111111111111', secretAccessKey: 'not-the-secret' };
    const c = clients(local, wrong);
    expect((await errorOf(c.kms.send(new ListKeysCommand({})))).name).toBe('InvalidSignatureException');
    expect((await errorOf(c.sso.send(new DescribeInstanceCommand({ InstanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111' })))).name).toBe('InvalidSignatureException');
    const e = await errorOf(c.sts.send(new GetCallerIdentityCommand({})));
    expect(e.name).toBe('SignatureDoesNotMatch');
    expect(e.$metadata?.httpStatusCode).toBe(403);
    expect(local.callLog().every((r) => r.accountId === undefined && r.status >= 400)).toBe(true);
  });

  test('an unknown access key is UnrecognizedClientException (KMS) and InvalidClientTokenId (STS)', async () => {
    const c = clients(local, { accessKeyId: 'AKIDUNKNOWN000000000', secretAccessKey: 'x' });
    expect((await errorOf(c.kms.send(new ListKeysCommand({})))).name).toBe('UnrecognizedClientException');
    expect((await errorOf(c.sts.send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
  });

  test('a tampered body fails even with a valid signature header: the payload hash is checked', async () => {
    const { kms } = clients(local, MGMT);
    // Change the body after the SDK signed it; the signature header itself is untouched.
    const tamperBody = (next: (a: { request: unknown }) => Promise<unknown>) => async (args: { request: unknown }) => {
      const request = args.request as { body?: string; headers: Record<string, string> };
      request.body = JSON.stringify({ Limit: 1 });
      request.headers['content-length'] = String(Buffer.byteLength(request.body));
      return next(args);
    };
    kms.middlewareStack.addRelativeTo(tamperBody as never, { relation: 'after', toMiddleware: 'awsAuthMiddleware', name: 'tamperBody' });
    expect((await errorOf(kms.send(new ListKeysCommand({ Limit: 2 })))).name).toBe('InvalidSignatureException');
  });

  test.each(['null', '"text"', '[1,2]', '{bad'])('a JSON body %s that is not an object is a SerializationException (400), signed before the change', async (body) => {
    const { kms } = clients(local, MGMT);
    const replaceBody = (next: (a: { request: unknown }) => Promise<unknown>) => async (args: { request: unknown }) => {
      const request = args.request as { body?: string; headers: Record<string, string> };
      request.body = body;
      request.headers['content-length'] = String(Buffer.byteLength(body));
      return next(args);
    };
    kms.middlewareStack.add(replaceBody as never, { step: 'build', name: 'replaceBody' });
    const e = await errorOf(kms.send(new ListKeysCommand({})));
    expect(e.name).toBe('SerializationException');
    expect(e.$metadata?.httpStatusCode).toBe(400);
  });

  test('the access key decides the account: the call log records account and access key ID, never the secret', async () => {
    const { sts } = clients(local, TOOLING);
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: TOOLING, Arn: 'arn:aws:iam::333333333333:user/ci' });
    const [record] = local.callLog();
    expect(record).toMatchObject({ service: 'sts', operation: 'GetCallerIdentity', accountId: TOOLING, accessKeyId: 'AKIDLOCAL333333333333', status: 200 });
    expect(JSON.stringify(local.callLog())).not.toContain(local.seed.credentialsFor(TOOLING).secretAccessKey);
  });
});

describe('STS', () => {
  test('AssumeRole credentials act in the role account', async () => {
    const creds = await assume();
    const c = clients(local, creds);
    expect(await c.sts.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: MGMT, Arn: 'arn:aws:sts::111111111111:assumed-role/idc-cmk-drift/drift-test' });
    const out = await c.sso.send(new DescribeInstanceCommand({ InstanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111' }));
    expect(out.OwnerAccountId).toBe(MGMT);
    expect(local.callLog().at(-1)).toMatchObject({ accountId: MGMT, accessKeyId: creds.accessKeyId });
  });

  test('a role that does not trust the caller account, or does not exist, is AccessDenied', async () => {
    const { sts } = clients(local, '222222222222');
    expect((await errorOf(sts.send(new AssumeRoleCommand({ RoleArn: DRIFT_ROLE, RoleSessionName: 'x1' })))).name).toBe('AccessDenied');
    const tooling = clients(local, TOOLING).sts;
    expect((await errorOf(tooling.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/nope', RoleSessionName: 'x1' })))).name).toBe('AccessDenied');
  });

  test('invalid AssumeRole input is ValidationError, as STS (a query API) names it', async () => {
    const { sts } = clients(local, TOOLING);
    expect((await errorOf(sts.send(new AssumeRoleCommand({ RoleArn: DRIFT_ROLE, RoleSessionName: 'bad name' })))).name).toBe('ValidationError');
    expect((await errorOf(sts.send(new AssumeRoleCommand({ RoleArn: DRIFT_ROLE, RoleSessionName: 'ok', DurationSeconds: 60 })))).name).toBe('ValidationError');
  });

  test('expired assumed-role credentials get ExpiredTokenException, never success', async () => {
    const creds = await assume();
    local.advanceClock(2 * 60 * 60 * 1000);
    const c = clients(local, creds);
    expect((await errorOf(c.kms.send(new ListKeysCommand({})))).name).toBe('ExpiredTokenException');
    expect((await errorOf(c.sts.send(new GetCallerIdentityCommand({})))).name).toBe('ExpiredToken');
  });

  test('assumed-role keys with a missing or wrong session token: UnrecognizedClientException (invalid token), as AWS answers', async () => {
    const creds = await assume();
    for (const sessionToken of [undefined, 'wrong-token']) {
      const c = clients(local, { ...creds, sessionToken });
      const e = await errorOf(c.kms.send(new ListKeysCommand({})));
      expect(e.name).toBe('UnrecognizedClientException');
      expect(e.message).toContain('security token included in the request is invalid');
    }
  });

  test('a session whose role was deleted stops working', async () => {
    const creds = await assume();
    local.seed.deleteRole(MGMT, 'idc-cmk-drift');
    expect((await errorOf(clients(local, creds).kms.send(new ListKeysCommand({})))).name).toBe('UnrecognizedClientException');
  });
});

describe('endpoint from the standard environment variables', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('AWS_ENDPOINT_URL with AWS_ACCESS_KEY_ID/SECRET and AWS_REGION configure every client', async () => {
    const creds = local.seed.credentialsFor(MGMT);
    Object.assign(process.env, { AWS_ENDPOINT_URL: local.url, AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_REGION: 'us-east-1' });
    delete process.env.AWS_PROFILE;
    const sts = new STSClient({});
    const sso = new SSOAdminClient({});
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(MGMT);
    expect((await sso.send(new DescribeInstanceCommand({ InstanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111' }))).IdentityStoreId).toBe('d-1111111111');
    sts.destroy();
    sso.destroy();
  });

  test('AWS_ENDPOINT_URL_KMS configures the KMS client', async () => {
    const creds = local.seed.credentialsFor(MGMT);
    Object.assign(process.env, { AWS_ENDPOINT_URL_KMS: local.url, AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_REGION: 'us-east-1' });
    const kms = new KMSClient({});
    expect((await kms.send(new ListKeysCommand({}))).Keys).toEqual([]);
    kms.destroy();
  });
});

describe('fault injection', () => {
  test('the SDK retry survives throttling of every 2nd call', async () => {
    local.faults.set({ throttleEveryNth: 2, throttleOperations: ['ListKeys'] });
    const { kms } = clients(local, MGMT, 'us-east-1', 3);
    await kms.send(new ListKeysCommand({}));
    const out = await kms.send(new ListKeysCommand({}));
    expect(out.$metadata.attempts).toBe(2);
    expect(local.callLog().map((r) => r.errorType ?? r.status)).toEqual([200, 'ThrottlingException', 200]);
  });

  test('with maxAttempts 1 a throttled call fails with ThrottlingException (HTTP 400)', async () => {
    local.faults.set({ throttleRate: 1 });
    const { kms } = clients(local, MGMT, 'us-east-1', 1);
    const e = await errorOf(kms.send(new ListKeysCommand({})));
    expect(e.name).toBe('ThrottlingException');
    expect(e.$metadata?.httpStatusCode).toBe(400);
  });

  test('a failing account or operation answers with the configured error', async () => {
    local.faults.set({ failAccounts: { [MGMT]: { errorType: 'AccessDeniedException', message: 'SCP says no' } }, failOperations: { GetCallerIdentity: { errorType: 'InternalFailure', status: 500 } } });
    const mgmt = clients(local, MGMT);
    const e = await errorOf(mgmt.kms.send(new ListKeysCommand({})));
    expect([e.name, e.message]).toEqual(['AccessDeniedException', 'SCP says no']);
    expect((await clients(local, '222222222222', 'eu-west-1').kms.send(new ListKeysCommand({}))).Keys).toEqual([]);
    local.faults.clear();
    expect((await mgmt.kms.send(new ListKeysCommand({}))).Keys).toEqual([]);
  });

  test('a dropped connection is retried by the SDK; with no retries it is a network error', async () => {
    local.faults.set({ dropEveryNth: 2 });
    const retrying = clients(local, MGMT, 'us-east-1', 3).kms;
    await retrying.send(new ListKeysCommand({}));
    const out = await retrying.send(new ListKeysCommand({}));
    expect(out.$metadata.attempts).toBe(2);
    expect(local.callLog().filter((r) => r.status === 0)).toHaveLength(1);
    local.faults.set({ dropEveryNth: 1 });
    const e = await errorOf(clients(local, MGMT, 'us-east-1', 1).kms.send(new ListKeysCommand({})));
    expect(e.name).not.toMatch(/Exception$/);
  });
});

describe('S3 for Terraform state', () => {
  test('PutObject, GetObject and ListObjectsV2 (path style), and another account is AccessDenied', async () => {
    local.seed.createBucket({ name: 'tf-state', accountId: TOOLING });
    const creds = local.seed.credentialsFor(TOOLING);
    const s3 = new S3Client({ endpoint: local.url, region: 'us-east-1', credentials: creds, forcePathStyle: true, maxAttempts: 1 });
    const state = JSON.stringify({ version: 4, resources: [] });
    await s3.send(new PutObjectCommand({ Bucket: 'tf-state', Key: 'idc/111111111111/terraform.tfstate', Body: state }));
    await s3.send(new PutObjectCommand({ Bucket: 'tf-state', Key: 'other/x.tfstate', Body: '{}' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'tf-state', Key: 'idc/111111111111/terraform.tfstate' }));
    expect(await got.Body!.transformToString()).toBe(state);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'tf-state', Prefix: 'idc/' }));
    expect(listed.Contents!.map((o) => o.Key)).toEqual(['idc/111111111111/terraform.tfstate']);
    expect((await errorOf(s3.send(new GetObjectCommand({ Bucket: 'tf-state', Key: 'missing' })))).name).toBe('NoSuchKey');
    const empty = await s3.send(new ListObjectsV2Command({ Bucket: 'tf-state', MaxKeys: 0 }));
    expect([empty.KeyCount ?? 0, empty.IsTruncated ?? false, empty.Contents ?? []]).toEqual([0, false, []]);
    const other = new S3Client({ endpoint: local.url, region: 'us-east-1', credentials: local.seed.credentialsFor(MGMT), forcePathStyle: true, maxAttempts: 1 });
    expect((await errorOf(other.send(new GetObjectCommand({ Bucket: 'tf-state', Key: 'other/x.tfstate' })))).name).toBe('AccessDenied');
    s3.destroy();
    other.destroy();
  });
});

test('seedFleet builds N targets whose roles the tooling account can assume', async () => {
  const fleet = local.seedFleet({ accounts: 50, regions: ['us-east-1', 'eu-west-1'], withKeys: true, firstAccountId: 500000000000 });
  expect(fleet.targets).toHaveLength(50);
  const t = fleet.targets[49];
  expect(t).toMatchObject({ accountId: '500000000049', region: 'eu-west-1', instanceArn: 'arn:aws:sso:::instance/ssoins-0000000000000049' });
  const { sts } = clients(local, fleet.tooling!);
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: t.driftRoleArn, RoleSessionName: 'fleet' }));
  const c = clients(local, { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! }, t.region);
  expect((await c.kms.send(new DescribeKeyCommand({ KeyId: t.aliasName }))).KeyMetadata!.Arn).toBe(t.keyArn);
});
