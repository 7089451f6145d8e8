/**
 * The encryption switch against the local AWS endpoint: real SDK clients (AwsClientFactory), SigV4
 * verified by the endpoint, no mocks.
 */
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { createServer, request as httpRequest } from 'http';
import type { AddressInfo } from 'net';
import { startLocalAws, identityCenterKeyPolicy, type LocalAws } from '../../local-aws';
import { AwsClientFactory } from '../../aws/clients';
import { applyEncryption, encryptionStatus, revertEncryption } from '../../encryption';
import { SYSTEM_CLOCK, type ApplyEncryptionOptions, type Clock } from '../../encryption/types';
import { isIdcCmkError, type IdcCmkError } from '../../core/errors';

const MGMT = '111111111111';
const MEMBER = '222222222222';
const TOOLING = '333333333333';
const REGION = 'eu-west-1';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1111222233334444';
const STORE = 'd-1234567890';
const STORE_ARN = `arn:aws:identitystore::${MGMT}:identitystore/${STORE}`;

interface World {
  lab: LocalAws;
  clients: AwsClientFactory;
  keyArn: string;
  env: NodeJS.ProcessEnv;
}

const worlds: World[] = [];

async function world(options: { delayMs?: number; credentialsOf?: string } = {}): Promise<World> {
  const lab = await startLocalAws({ instanceUpdateDelayMs: options.delayMs ?? 30 });
  lab.seed.addAccount({ accountId: MGMT, orgId: 'o-exampleorg1' });
  lab.seed.addAccount({ accountId: MEMBER, orgId: 'o-exampleorg1' });
  lab.seed.addAccount({ accountId: TOOLING, orgId: 'o-exampleorg1' });
  lab.seed.addInstance({ accountId: MGMT, region: REGION, instanceArn: INSTANCE, identityStoreId: STORE });
  const key = lab.seed.createKey({ accountId: MGMT, region: REGION, policy: identityCenterKeyPolicy({ accountId: MGMT, instanceArn: INSTANCE, identityStoreArn: STORE_ARN }) });
  const creds = lab.seed.credentialsFor(options.credentialsOf ?? MGMT);
  const env = { AWS_ENDPOINT_URL: lab.url, AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey };
  const clients = new AwsClientFactory({ env, maxAttempts: 1 });
  const w = { lab, clients, keyArn: key.arn, env };
  worlds.push(w);
  return w;
}

afterEach(async () => {
  for (const w of worlds.splice(0)) {
    w.clients.destroy();
    await w.lab.stop();
  }
});

function options(w: World, extra: Partial<ApplyEncryptionOptions> = {}): ApplyEncryptionOptions {
  return { instanceArn: INSTANCE, kmsKeyArn: w.keyArn, region: REGION, managementAccountId: MGMT, timeoutSeconds: 10, pollIntervalMs: 20, ...extra };
}

const updates = (w: World): number => w.lab.callLog().filter((c) => c.operation === 'UpdateInstance').length;

async function refusal(p: Promise<unknown>): Promise<IdcCmkError> {
  try {
    await p;
  } catch (e) {
    if (isIdcCmkError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

/** A clock that runs `hook` on the first sleep (to change the world while the switch waits). */
function hookedClock(hook: () => void): Clock {
  let fired = false;
  return {
    now: SYSTEM_CLOCK.now,
    sleep: async (ms) => {
      if (!fired) {
        fired = true;
        hook();
      }
      await SYSTEM_CLOCK.sleep(ms);
    },
  };
}

describe('applyEncryption', () => {
  test('happy path: pre-flight, one UpdateInstance with only the encryption configuration, UPDATING -> ENABLED', async () => {
    const w = await world({ delayMs: 80 });
    const lines: string[] = [];
    const result = await applyEncryption(options(w), w.clients, (l) => lines.push(l));
    expect(result.action).toBe('updated');
    expect(result.before).toEqual({ keyType: 'AWS_OWNED_KMS_KEY', encryptionStatus: 'ENABLED' });
    expect(result.after).toEqual({ keyType: 'CUSTOMER_MANAGED_KEY', kmsKeyArn: w.keyArn, encryptionStatus: 'ENABLED' });
    expect(result.checks?.every((c) => c.ok)).toBe(true);
    expect(updates(w)).toBe(1);
    expect(lines).toContain('encryption status: UPDATING');
    expect(lines).toContain('encryption status: ENABLED');
    expect(w.lab.seed.instance(INSTANCE).encryption).toEqual({ keyType: 'CUSTOMER_MANAGED_KEY', kmsKeyArn: w.keyArn, status: 'ENABLED' });
    // Pre-flight reads happen before the write.
    const ops = w.lab.callLog().map((c) => c.operation);
    expect(ops.indexOf('GetKeyPolicy')).toBeLessThan(ops.indexOf('UpdateInstance'));
  });

  test('a second apply makes no UpdateInstance call', async () => {
    const w = await world();
    await applyEncryption(options(w), w.clients);
    w.lab.clearCallLog();
    const again = await applyEncryption(options(w), w.clients);
    expect(again.action).toBe('unchanged');
    expect(updates(w)).toBe(0);
  });

  test('dry run: pre-flight only, no UpdateInstance', async () => {
    const w = await world();
    const r = await applyEncryption(options(w, { dryRun: true }), w.clients);
    expect(r.action).toBe('would-update');
    expect(updates(w)).toBe(0);
  });

  test('UPDATE_FAILED: fails with ENCRYPTION_UPDATE_FAILED and AWS\'s EncryptionStatusReason', async () => {
    const w = await world({ delayMs: 100 });
    // The key is disabled after the pre-flight passed, while the instance is UPDATING.
    const clock = hookedClock(() => w.lab.tamper.disableKey(w.keyArn));
    const e = await refusal(applyEncryption(options(w), w.clients, undefined, clock));
    expect(e.code).toBe('ENCRYPTION_UPDATE_FAILED');
    expect(e.message).toMatch(/KMS_DisabledException/);
    expect(e.hint).toMatch(/previous key/);
    expect(updates(w)).toBe(1);
  });

  test('DescribeInstance failing after UpdateInstance was accepted: the error says the switch was started and how to check it', async () => {
    const w = await world({ delayMs: 100 });
    const clock = hookedClock(() => w.lab.faults.set({ failOperations: { DescribeInstance: { errorType: 'AccessDeniedException', status: 400, message: 'SCP denies sso:DescribeInstance' } } }));
    const e = await refusal(applyEncryption(options(w), w.clients, undefined, clock));
    expect(e.code).toBe('AWS_ACCESS_DENIED');
    expect(e.message).toMatch(/^UpdateInstance was accepted, but following the switch failed: .*SCP denies/);
    expect(e.hint).toContain('idc-cmk encryption status --instance-arn');
    expect(updates(w)).toBe(1);
  });

  test('timeout: ENCRYPTION_TIMEOUT says the instance may still be UPDATING and how to check', async () => {
    const w = await world({ delayMs: 60_000 });
    const e = await refusal(applyEncryption(options(w, { timeoutSeconds: 1, pollIntervalMs: 100 }), w.clients));
    expect(e.code).toBe('ENCRYPTION_TIMEOUT');
    expect(e.message).toMatch(/may still be UPDATING/);
    expect(e.hint).toContain(`idc-cmk encryption status --instance-arn ${INSTANCE} --region ${REGION}`);
  });

  test('a poll interval longer than the time left: waits until the deadline and looks once more', async () => {
    const w = await world({ delayMs: 300 });
    const started = Date.now();
    const r = await applyEncryption(options(w, { timeoutSeconds: 1, pollIntervalMs: 5000 }), w.clients);
    expect(r.action).toBe('updated');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('--timeout bounds the AWS calls too: a hung endpoint is ENCRYPTION_TIMEOUT at the deadline', async () => {
    const w = await world();
    w.lab.faults.set({ latencyByOperation: { DescribeInstance: 8000 } });
    const started = Date.now();
    const e = await refusal(applyEncryption(options(w, { timeoutSeconds: 1 }), w.clients));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(e.code).toBe('ENCRYPTION_TIMEOUT');
    expect(e.message).toMatch(/^gave up after 1s \(--timeout\) while sso-admin:DescribeInstance/);
    expect(updates(w)).toBe(0);
  });

  test('--timeout holds under throttling: the SDK\'s backoff between retries is cut off at the deadline', async () => {
    const w = await world();
    w.clients.destroy();
    // Many attempts with the SDK's own backoff: without the cut-off the command overran --timeout by seconds.
    w.clients = new AwsClientFactory({ env: w.env, maxAttempts: 20 });
    w.lab.faults.set({ throttleRate: 1 });
    const started = Date.now();
    const e = await refusal(applyEncryption(options(w, { timeoutSeconds: 1 }), w.clients));
    expect(Date.now() - started).toBeLessThan(1800);
    expect(e.code).toBe('ENCRYPTION_TIMEOUT');
    expect(updates(w)).toBe(0);
  });

  test('a request that never gets an answer fails at the request timeout, without --timeout', async () => {
    const w = await world();
    const clients = new AwsClientFactory({ env: w.env, maxAttempts: 1, requestTimeoutMs: 300 });
    try {
      w.lab.faults.set({ latencyByOperation: { DescribeInstance: 5000 } });
      const started = Date.now();
      const e = await refusal(encryptionStatus({ instanceArn: INSTANCE, region: REGION }, clients));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(e.message).toMatch(/DescribeInstance/);
    } finally {
      clients.destroy();
    }
  });

  test.each([
    ['ValidationException', 'nothing was changed'],
    ['InternalServerException', 'may have reached AWS'],
  ])('UpdateInstance answering %s: the hint says whether anything may have changed', async (errorType, hint) => {
    const w = await world();
    w.lab.faults.set({ failOperations: { UpdateInstance: { errorType, status: errorType === 'ValidationException' ? 400 : 500, message: 'no' } } });
    const e = await refusal(applyEncryption(options(w), w.clients));
    expect(e.hint).toContain(hint);
  });

  test('an UpdateInstance whose answer was lost: the SDK\'s retry meets ConflictException, and the update is recognised as ours', async () => {
    const w = await world({ delayMs: 200 });
    let dropped = false;
    const proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const forward = httpRequest(`${w.lab.url}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (upstream) => {
          const body: Buffer[] = [];
          upstream.on('data', (c: Buffer) => body.push(c));
          upstream.on('end', () => {
            if (!dropped && String(req.headers['x-amz-target'] ?? '').endsWith('.UpdateInstance')) {
              dropped = true; // AWS made the change; its answer never arrives
              req.socket.destroy();
              return;
            }
            res.writeHead(upstream.statusCode ?? 500, upstream.headers);
            res.end(Buffer.concat(body));
          });
        });
        forward.end(Buffer.concat(chunks));
      });
    });
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
    const clients = new AwsClientFactory({ env: { ...w.env, AWS_ENDPOINT_URL: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` }, maxAttempts: 3 });
    try {
      const lines: string[] = [];
      const r = await applyEncryption(options(w), clients, (l) => lines.push(l));
      expect(dropped).toBe(true);
      expect(r.action).toBe('updated');
      expect(lines.some((l) => /ConflictException.*an earlier attempt of this call got through/.test(l))).toBe(true);
      expect(w.lab.callLog().filter((c) => c.operation === 'UpdateInstance').map((c) => c.errorType ?? 'ok')).toEqual(['ok', 'ConflictException']);
    } finally {
      clients.destroy();
      proxy.close();
    }
  });

  test('an instance already UPDATING is waited for before anything else', async () => {
    const w = await world();
    w.lab.tamper.setInstanceEncryption(INSTANCE, { keyType: 'AWS_OWNED_KMS_KEY', status: 'UPDATING' });
    const clock = hookedClock(() => w.lab.tamper.setInstanceEncryption(INSTANCE, { keyType: 'AWS_OWNED_KMS_KEY', status: 'ENABLED' }));
    const lines: string[] = [];
    const r = await applyEncryption(options(w), w.clients, (l) => lines.push(l), clock);
    expect(r.action).toBe('updated');
    expect(lines[0]).toMatch(/UPDATING .*waiting for it to finish first/);
    expect(updates(w)).toBe(1);
  });

  test('the management account\'s role is assumed when configured: every SSO/KMS call signed with its session', async () => {
    const w = await world({ credentialsOf: TOOLING });
    const role = w.lab.seed.addRole(MGMT, 'IdcCmkDeploy', { trustedAccounts: [TOOLING] });
    const r = await applyEncryption(options(w, { roleArn: role.arn }), w.clients);
    expect(r.action).toBe('updated');
    const log = w.lab.callLog();
    const toolingKey = w.env.AWS_ACCESS_KEY_ID;
    const assume = log.filter((c) => c.operation === 'AssumeRole');
    expect(assume.length).toBeGreaterThanOrEqual(1);
    expect(assume.every((c) => c.accessKeyId === toolingKey && c.accountId === TOOLING)).toBe(true);
    const work = log.filter((c) => c.service === 'sso' || c.service === 'kms');
    expect(work.length).toBeGreaterThan(0);
    expect(work.every((c) => c.accountId === MGMT && c.accessKeyId !== toolingKey && c.status === 200)).toBe(true);
  });

  test('bad options are refused before any call, every problem listed', async () => {
    const w = await world();
    const e = await refusal(applyEncryption(options(w, { kmsKeyArn: 'alias/identity-center', region: 'moon', timeoutSeconds: 0 }), w.clients));
    expect(e.code).toBe('INPUT_INVALID');
    expect(e.details).toEqual([
      expect.stringMatching(/^region: got "moon"/),
      expect.stringMatching(/^kmsKeyArn: got "alias\/identity-center".*resolve the alias/),
      expect.stringMatching(/^timeoutSeconds: got 0/),
    ]);
    expect(w.lab.callLog()).toHaveLength(0);
  });

  test('a key ARN or Region of another partition is refused before any call', async () => {
    const w = await world();
    const e = await refusal(applyEncryption(options(w, { kmsKeyArn: w.keyArn.replace('arn:aws:', 'arn:aws-us-gov:') }), w.clients));
    expect(e.details).toEqual([expect.stringMatching(/^kmsKeyArn: got "arn:aws-us-gov:kms:.*"; allowed: a key ARN in the instance's partition aws$/)]);
    const r = await refusal(applyEncryption(options(w, { region: 'cn-north-1' }), w.clients));
    expect(r.details).toEqual(expect.arrayContaining([expect.stringMatching(/^region: got "cn-north-1"; allowed: a Region of the instance's partition aws$/)]));
    expect(w.lab.callLog()).toHaveLength(0);
  });
});

describe('pre-flight refusals: PREFLIGHT_REFUSED, every failed check listed, nothing changed', () => {
  type Setup = (w: World) => Promise<Partial<ApplyEncryptionOptions>> | Partial<ApplyEncryptionOptions>;
  const cases: [string, Setup, string[]][] = [
    ['disabled key', (w) => (w.lab.tamper.disableKey(w.keyArn), {}), ['key-enabled: key state is Disabled']],
    ['key pending deletion', (w) => (w.lab.tamper.scheduleKeyDeletion(w.keyArn, 7), {}), ['key-enabled: key state is PendingDeletion (deletion scheduled for']],
    [
      'asymmetric key',
      (w) => ({ kmsKeyArn: w.lab.seed.createKey({ accountId: MGMT, region: REGION, keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT', policy: goodPolicy() }).arn }),
      ['key-spec: key spec is RSA_2048'],
    ],
    [
      'wrong key usage',
      (w) => ({ kmsKeyArn: w.lab.seed.createKey({ accountId: MGMT, region: REGION, keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', policy: goodPolicy() }).arn }),
      ['key-spec: key spec is ECC_NIST_P256', 'key-usage: key usage is SIGN_VERIFY'],
    ],
    [
      'external key material',
      async (w) => {
        const out = await w.clients.kms({ region: REGION }).send(new CreateKeyCommand({ Origin: 'EXTERNAL', Policy: goodPolicy() }));
        return { kmsKeyArn: out.KeyMetadata?.Arn as string };
      },
      ['key-origin: key origin is EXTERNAL'],
    ],
    [
      'key in another account',
      (w) => ({ kmsKeyArn: w.lab.seed.createKey({ accountId: MEMBER, region: REGION, policy: goodPolicy(MEMBER) }).arn }),
      [`key-account: key is in account ${MEMBER}; required: the instance owner's account ${MGMT}`],
    ],
    [
      'key in another Region',
      (w) => ({ kmsKeyArn: w.lab.seed.createKey({ accountId: MGMT, region: 'us-east-1', policy: goodPolicy() }).arn }),
      [`key-region: key is in us-east-1; required: the instance's Region ${REGION}`],
    ],
    [
      'no management account named and Organizations unreadable',
      (w) => (w.lab.faults.set({ failOperations: { DescribeOrganization: { errorType: 'AccessDeniedException' } } }), { managementAccountId: undefined }),
      ['organization-instance: cannot tell an organization instance from an account instance: organizations:DescribeOrganization: AccessDeniedException'],
    ],
    ['--management-account contradicting Organizations', () => ({ managementAccountId: MEMBER }), [`organization-instance: --management-account says ${MEMBER}, but Organizations says the management account is ${MGMT}`]],
    [
      'policy missing Identity Center access',
      (w) => ({ kmsKeyArn: w.lab.seed.createKey({ accountId: MGMT, region: REGION }).arn }),
      ['key-policy: the key policy does not allow, under this instance\'s encryption context'],
    ],
    [
      'policy pinned to another instance',
      (w) => (w.lab.tamper.replaceKeyPolicy(w.keyArn, identityCenterKeyPolicy({ accountId: MGMT, instanceArn: 'arn:aws:sso:::instance/ssoins-9999888877776666', identityStoreArn: STORE_ARN })), {}),
      ['key-policy: the key policy does not allow, under this instance\'s encryption context (arn:aws:sso:::instance/ssoins-1111222233334444, '],
    ],
    [
      'a Deny that took effect at a past date (judged at the current time)',
      (w) => {
        const p = JSON.parse(goodPolicy());
        p.Statement.push({ Sid: 'FromJanuary2020', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } });
        w.lab.tamper.replaceKeyPolicy(w.keyArn, JSON.stringify(p));
        return {};
      },
      ['key-policy: the key policy does not allow'],
    ],
  ];

  test.each(cases)('%s', async (_name, setup, expected) => {
    const w = await world();
    const extra = await setup(w);
    w.lab.clearCallLog();
    const before = { ...w.lab.seed.instance(INSTANCE).encryption };
    const opts = { ...options(w), ...extra };
    if ('managementAccountId' in extra && extra.managementAccountId === undefined) delete (opts as { managementAccountId?: string }).managementAccountId;
    const e = await refusal(applyEncryption(opts, w.clients));
    expect(e.code).toBe('PREFLIGHT_REFUSED');
    expect(e.message).toMatch(/nothing was changed/);
    for (const line of expected) expect(e.details.some((d) => d.startsWith(line))).toBe(true);
    expect(updates(w)).toBe(0);
    expect(w.lab.seed.instance(INSTANCE).encryption).toEqual(before);
  });

  test('an IpAddress condition on the administrators does not stop the pre-flight (it is evaluated, not refused)', async () => {
    const w = await world();
    const p = JSON.parse(goodPolicy());
    p.Statement.push({ Sid: 'AdminsFromOffice', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MGMT}:root` }, Action: 'kms:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } } });
    w.lab.tamper.replaceKeyPolicy(w.keyArn, JSON.stringify(p));
    const r = await applyEncryption({ ...options(w), dryRun: true }, w.clients);
    expect(r.action).toBe('would-update');
  });

  test('account instance (owned by a member account, not the management account)', async () => {
    const w = await world({ credentialsOf: MEMBER });
    const accountInstance = 'arn:aws:sso:::instance/ssoins-aaaabbbbccccdddd';
    w.lab.seed.addInstance({ accountId: MEMBER, region: REGION, instanceArn: accountInstance, identityStoreId: 'd-aaaaaaaaaa', organization: false });
    const key = w.lab.seed.createKey({
      accountId: MEMBER,
      region: REGION,
      policy: identityCenterKeyPolicy({ accountId: MEMBER, instanceArn: accountInstance, identityStoreArn: `arn:aws:identitystore::${MEMBER}:identitystore/d-aaaaaaaaaa` }),
    });
    const e = await refusal(applyEncryption(options(w, { instanceArn: accountInstance, kmsKeyArn: key.arn }), w.clients));
    expect(e.code).toBe('PREFLIGHT_REFUSED');
    expect(e.details).toEqual([expect.stringMatching(new RegExp(`^organization-instance: the instance is owned by ${MEMBER}, not by the organization's management account ${MGMT} \\(Organizations\\): it is an account instance`))]);
    expect(updates(w)).toBe(0);

    // Without --management-account (as cdktf deploy runs it) Organizations alone decides, the same way.
    const again = await refusal(applyEncryption({ ...options(w, { instanceArn: accountInstance, kmsKeyArn: key.arn }), managementAccountId: undefined }, w.clients));
    expect(again.details).toEqual([expect.stringMatching(/^organization-instance: the instance is owned by 222222222222, not by the organization's management account 111111111111/)]);
    expect(updates(w)).toBe(0);
  });

  test('an account outside any organization has an account instance: refused, named as such', async () => {
    const w = await world();
    const standalone = '444444444444';
    const instance = 'arn:aws:sso:::instance/ssoins-4444444444444444';
    w.lab.seed.addAccount({ accountId: standalone });
    w.lab.seed.addInstance({ accountId: standalone, region: REGION, instanceArn: instance, identityStoreId: 'd-4444444444', organization: false });
    const key = w.lab.seed.createKey({ accountId: standalone, region: REGION, policy: identityCenterKeyPolicy({ accountId: standalone, instanceArn: instance, identityStoreArn: `arn:aws:identitystore::${standalone}:identitystore/d-4444444444` }) });
    const creds = w.lab.seed.credentialsFor(standalone);
    const clients = new AwsClientFactory({ env: { ...w.env, AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey }, maxAttempts: 1 });
    try {
      const e = await refusal(applyEncryption({ ...options(w, { instanceArn: instance, kmsKeyArn: key.arn }), managementAccountId: undefined }, clients));
      expect(e.details).toEqual([`organization-instance: account ${standalone} is not in an organization (Organizations says so): its instance is an account instance, and only organization instances can use a customer managed key`]);
    } finally {
      clients.destroy();
    }
  });

  test('without --management-account an organization instance passes on Organizations\' word', async () => {
    const w = await world();
    const r = await applyEncryption({ ...options(w), managementAccountId: undefined }, w.clients);
    expect(r.action).toBe('updated');
    expect(r.checks?.find((c) => c.id === 'organization-instance')?.message).toBe(`organization instance: owned by the management account ${MGMT} (organizations:DescribeOrganization)`);
  });

  test('several failures are all listed', async () => {
    const w = await world();
    const other = w.lab.seed.createKey({ accountId: MGMT, region: 'us-east-1' });
    w.lab.tamper.disableKey(other.arn);
    const e = await refusal(applyEncryption(options(w, { kmsKeyArn: other.arn }), w.clients));
    expect(e.details.map((d) => d.split(':')[0])).toEqual(['key-enabled', 'key-region', 'key-policy']);
  });

  test.each([
    ['throttled', { errorType: 'ThrottlingException', status: 400, message: 'Rate exceeded' }, 'AWS_THROTTLED', /run again/],
    ['an outage', { errorType: 'KMSInternalException', status: 500, message: 'internal' }, 'AWS_ERROR', /run again/],
    ['denied', { errorType: 'AccessDeniedException', status: 400, message: 'not allowed' }, 'AWS_ACCESS_DENIED', /credentials of the key's account/],
  ])('a key policy read that is %s is "could not check" (PREFLIGHT_INCOMPLETE), not a refusal of the key', async (_name, fault, code, hint) => {
    const w = await world();
    w.lab.faults.set({ failOperations: { GetKeyPolicy: fault } });
    const e = await refusal(applyEncryption({ ...options(w), dryRun: true }, w.clients));
    expect(e.code).toBe('PREFLIGHT_INCOMPLETE');
    expect(e.message).toContain(`1 check could not be made (${code}); nothing was changed`);
    expect(e.details).toEqual([expect.stringMatching(/^key-policy: could not check: could not read the key policy/)]);
    expect(e.hint).toMatch(hint);
    expect(updates(w)).toBe(0);
  });
});

describe('revertEncryption and encryptionStatus', () => {
  test('revert switches back to the AWS owned key (no KmsKeyArn) and is idempotent', async () => {
    const w = await world();
    await applyEncryption(options(w), w.clients);
    w.lab.clearCallLog();
    const r = await revertEncryption({ instanceArn: INSTANCE, region: REGION, timeoutSeconds: 10, pollIntervalMs: 20 }, w.clients);
    expect(r.action).toBe('updated');
    expect(r.after).toEqual({ keyType: 'AWS_OWNED_KMS_KEY', encryptionStatus: 'ENABLED' });
    expect(updates(w)).toBe(1);
    w.lab.clearCallLog();
    const again = await revertEncryption({ instanceArn: INSTANCE, region: REGION, timeoutSeconds: 10, pollIntervalMs: 20 }, w.clients);
    expect(again.action).toBe('unchanged');
    expect(updates(w)).toBe(0);
  });

  test('revert with onlyIfKeyArn does nothing when another key is in use (key replacement)', async () => {
    const w = await world();
    await applyEncryption(options(w), w.clients);
    const oldKey = w.lab.seed.createKey({ accountId: MGMT, region: REGION, policy: goodPolicy() });
    w.lab.clearCallLog();
    const r = await revertEncryption({ instanceArn: INSTANCE, region: REGION, timeoutSeconds: 10, pollIntervalMs: 20, onlyIfKeyArn: oldKey.arn }, w.clients);
    expect(r.action).toBe('skipped');
    expect(r.note).toContain(`does not use ${oldKey.arn}`);
    expect(updates(w)).toBe(0);
    expect(w.lab.seed.instance(INSTANCE).encryption.kmsKeyArn).toBe(w.keyArn);
  });

  test('a role that cannot be assumed is reported as sts:AssumeRole for that role, before any other call', async () => {
    const w = await world({ credentialsOf: TOOLING });
    const role = `arn:aws:iam::${MGMT}:role/no-such-role`;
    const e = await refusal(encryptionStatus({ instanceArn: INSTANCE, region: REGION, roleArn: role }, w.clients));
    expect(e.message).toMatch(new RegExp(`^sts:AssumeRole ${role}: `));
    expect(e.hint).toContain('trust policy');
    expect(w.lab.callLog().filter((c) => c.operation === 'DescribeInstance')).toEqual([]);
  });

  test('status reports the live configuration, including a failure reason', async () => {
    const w = await world();
    w.lab.tamper.setInstanceEncryption(INSTANCE, { keyType: 'AWS_OWNED_KMS_KEY', status: 'UPDATE_FAILED', reason: 'KMS_AccessDeniedException: nope' });
    const s = await encryptionStatus({ instanceArn: INSTANCE, region: REGION }, w.clients);
    expect(s).toMatchObject({
      instanceArn: INSTANCE,
      region: REGION,
      ownerAccountId: MGMT,
      identityStoreId: STORE,
      status: 'ACTIVE',
      keyType: 'AWS_OWNED_KMS_KEY',
      encryptionStatus: 'UPDATE_FAILED',
      encryptionStatusReason: 'KMS_AccessDeniedException: nope',
    });
  });
});

function goodPolicy(account = MGMT): string {
  return identityCenterKeyPolicy({ accountId: account, instanceArn: INSTANCE, identityStoreArn: `arn:aws:identitystore::${account}:identitystore/${STORE}` });
}

describe('what Organizations says feeds the pre-flight', () => {
  const orgConditioned = (): string => {
    const p = JSON.parse(goodPolicy());
    for (const st of p.Statement) if (JSON.stringify(st.Principal ?? '').includes('amazonaws.com')) st.Condition = { ...(st.Condition ?? {}), StringEquals: { ...(st.Condition?.StringEquals ?? {}), 'aws:SourceOrgID': 'o-exampleorg1' } };
    return JSON.stringify(p);
  };

  test('a policy conditioned on aws:SourceOrgID passes with the organization ID Organizations gives; a contradicting --org-id is refused', async () => {
    const w = await world();
    w.lab.tamper.replaceKeyPolicy(w.keyArn, orgConditioned());
    expect((await applyEncryption({ ...options(w), dryRun: true }, w.clients)).action).toBe('would-update');
    const e = await refusal(applyEncryption({ ...options(w), orgId: 'o-someotherorg', dryRun: true }, w.clients));
    expect(e.details).toContain('organization-instance: --org-id says o-someotherorg, but Organizations says the instance\'s organization is o-exampleorg1');
  });

  test('a --timeout that runs out during the pre-flight is a timeout naming the unanswered checks, not a refusal', async () => {
    const w = await world();
    w.lab.faults.set({ latencyByOperation: { DescribeOrganization: 5000 } });
    const e = await refusal(applyEncryption({ ...options(w, { timeoutSeconds: 1 }), dryRun: true }, w.clients));
    expect(e.code).toBe('ENCRYPTION_TIMEOUT');
    expect(e.message).toBe('gave up after 1s (--timeout) before the pre-flight could finish; nothing was changed');
    expect(e.details[0]).toMatch(/^unanswered when the time ran out: (organization-instance|key-exists)/);
    expect(e.details.join(' ')).not.toMatch(/Allow organizations:DescribeOrganization/);
  });
});

test('a malformed endpoint variable is an input error naming it', () => {
  expect(() => new AwsClientFactory({ env: { AWS_ENDPOINT_URL: 'localhost:4566' } })).toThrow(
    expect.objectContaining({ code: 'INPUT_INVALID', details: ['AWS_ENDPOINT_URL: got "localhost:4566"; allowed: an http(s) URL such as http://127.0.0.1:4566 or https://kms.us-east-1.amazonaws.com'] }),
  );
});
