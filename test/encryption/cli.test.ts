/** `idc-cmk encryption apply | revert | status` end to end through runCli and the local endpoint. */
import { startLocalAws, identityCenterKeyPolicy, type LocalAws } from '../../local-aws';
import { runCli } from '../../cli/main';
import { captureIo, type CapturedIo } from '../../cli/io';

const MGMT = '111111111111';
const REGION = 'eu-west-1';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1111222233334444';
const STORE = 'd-1234567890';

let lab: LocalAws;
let keyArn: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  lab = await startLocalAws({ instanceUpdateDelayMs: 20 });
  lab.seed.addAccount({ accountId: MGMT });
  lab.seed.addInstance({ accountId: MGMT, region: REGION, instanceArn: INSTANCE, identityStoreId: STORE });
  keyArn = lab.seed.createKey({
    accountId: MGMT,
    region: REGION,
    policy: identityCenterKeyPolicy({ accountId: MGMT, instanceArn: INSTANCE, identityStoreArn: `arn:aws:identitystore::${MGMT}:identitystore/${STORE}` }),
  }).arn;
  const c = lab.seed.credentialsFor(MGMT);
  env = { AWS_ENDPOINT_URL: lab.url, AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey };
});

afterEach(async () => {
  await lab.stop();
});

async function run(args: string[], options: { stdin?: string; stdinTty?: boolean } = {}): Promise<{ code: number; io: CapturedIo }> {
  const io = captureIo({ env, ...(options.stdin !== undefined ? { stdin: options.stdin } : {}) });
  if (options.stdinTty) (io.stdin as { isTTY?: boolean }).isTTY = true;
  const code = await runCli(['node', 'idc-cmk', ...args], io);
  return { code, io };
}

const base = ['--instance-arn', INSTANCE, '--region', REGION];
const fast = ['--poll-interval', '10', '--timeout', '10'];
const updates = (): number => lab.callLog().filter((c) => c.operation === 'UpdateInstance').length;

test('apply: progress on stderr, result on stdout, exit 0; again: unchanged', async () => {
  const first = await run(['encryption', 'apply', ...base, '--key-arn', keyArn, '--management-account', MGMT, ...fast]);
  expect(first.io.err()).toContain('pre-flight: checking key');
  expect(first.io.out()).toMatch(new RegExp(`^updated: ${INSTANCE} now uses CUSTOMER_MANAGED_KEY ${keyArn} \\(ENABLED\\)`));
  expect(first.code).toBe(0);
  const second = await run(['encryption', 'apply', ...base, '--key-arn', keyArn, '--management-account', MGMT, ...fast, '--format', 'json']);
  expect(second.code).toBe(0);
  expect(JSON.parse(second.io.out())).toMatchObject({ action: 'unchanged', instanceArn: INSTANCE });
  expect(updates()).toBe(1);
});

test('apply refused by the pre-flight: exit 1, error with every failed check, no stack trace, nothing changed', async () => {
  lab.tamper.disableKey(keyArn);
  const { code, io } = await run(['encryption', 'apply', ...base, '--key-arn', keyArn, '--management-account', MGMT, ...fast]);
  expect(code).toBe(1);
  expect(io.err()).toContain('error [PREFLIGHT_REFUSED]');
  expect(io.err()).toContain('  - key-enabled: key state is Disabled');
  expect(io.err()).not.toMatch(/\n\s+at /);
  expect(io.out()).toBe('');
  expect(updates()).toBe(0);
});

test('apply with bad flag values: every problem listed, no AWS call', async () => {
  const { code, io } = await run(['encryption', 'apply', ...base, '--key-arn', keyArn, '--management-account', MGMT, '--timeout', 'soon', '--format', 'yaml']);
  expect(code).toBe(1);
  expect(io.err()).toContain('--format: got "yaml"; allowed: text or json');
  expect(io.err()).toContain('--timeout: got "soon"; allowed: a whole number');
  expect(lab.callLog()).toHaveLength(0);
});

test('--format json: a refusal is a JSON document on stdout too (failed checks as "id: message"), exit 1', async () => {
  lab.tamper.disableKey(keyArn);
  const { code, io } = await run(['encryption', 'apply', ...base, '--key-arn', keyArn, '--dry-run', '--format', 'json']);
  expect(code).toBe(1);
  const doc = JSON.parse(io.out()) as { ok: boolean; error: { code: string; details: string[] } };
  expect(doc.ok).toBe(false);
  expect(doc.error.code).toBe('PREFLIGHT_REFUSED');
  expect(doc.error.details).toEqual([expect.stringMatching(/^key-enabled: key state is Disabled/)]);
});

test('--format json: bad flags are a JSON document on stdout too, for every subcommand', async () => {
  for (const args of [
    ['encryption', 'apply', ...base, '--key-arn', 'alias/x', '--format', 'json'],
    ['encryption', 'revert', '--instance-arn', INSTANCE, '--region', REGION, '--role-arn', 'bad', '--yes', '--format', 'json'],
    ['encryption', 'status', '--instance-arn', INSTANCE, '--region', REGION, '--role-arn', 'bad', '--format', 'json'],
  ]) {
    const { code, io } = await run(args);
    expect(code).toBe(1);
    const doc = JSON.parse(io.out()) as { ok: boolean; error: { code: string; details: string[] } };
    expect(doc).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(doc.error.details.length).toBeGreaterThan(0);
  }
  expect(lab.callLog()).toHaveLength(0);
});

test('--external-id goes with --role-arn (its trust policy), and is refused without it', async () => {
  const { code, io } = await run(['encryption', 'status', '--instance-arn', INSTANCE, '--region', REGION, '--external-id', 'fleet-ext-id']);
  expect(code).toBe(1);
  expect(io.err()).toContain('--external-id: got "fleet-ext-id"; allowed: only with a role to assume (the external ID is for its trust policy)');
  expect(lab.callLog()).toHaveLength(0);
});

test('bad option values are named by their flags, every one at once', async () => {
  const { code, io } = await run(['encryption', 'apply', ...base, '--key-arn', 'alias/identity-center', '--management-account', '12', '--timeout', '0', '--poll-interval', '1.5']);
  expect(code).toBe(1);
  const lines = io.err().split('\n').filter((l) => l.startsWith('  - ')).map((l) => l.slice(4, l.indexOf(':', 4)));
  expect(lines.sort()).toEqual(['--key-arn', '--management-account', '--poll-interval', '--timeout']);
  expect(io.err()).not.toMatch(/timeoutSeconds|managementAccountId|kmsKeyArn|pollIntervalMs/);
  expect(lab.callLog()).toHaveLength(0);
});

test('revert without --yes and without a terminal refuses and changes nothing', async () => {
  await run(['encryption', 'apply', ...base, '--key-arn', keyArn, '--management-account', MGMT, ...fast]);
  lab.clearCallLog();
  const { code, io } = await run(['encryption', 'revert', ...base, ...fast]);
  expect(code).toBe(1);
  expect(io.err()).toMatch(/error \[INPUT_INVALID\]: revert .* pass --yes; nothing was changed/);
  expect(lab.callLog()).toHaveLength(0);
});

test('revert on a terminal asks for the instance ID; a wrong answer refuses, the right one proceeds', async () => {
  await run(['encryption', 'apply', ...base, '--key-arn', keyArn, '--management-account', MGMT, ...fast]);
  lab.clearCallLog();
  const wrong = await run(['encryption', 'revert', ...base, ...fast], { stdin: 'yes\n', stdinTty: true });
  expect(wrong.code).toBe(1);
  expect(wrong.io.err()).toContain('Type the instance ID (ssoins-1111222233334444) to continue');
  expect(updates()).toBe(0);
  const right = await run(['encryption', 'revert', ...base, ...fast], { stdin: 'ssoins-1111222233334444\n', stdinTty: true });
  expect(right.code).toBe(0);
  expect(right.io.out()).toMatch(/^updated: .* now uses AWS_OWNED_KMS_KEY \(ENABLED\)/);
});

test('revert --yes switches back; status --format json shows it', async () => {
  await run(['encryption', 'apply', ...base, '--key-arn', keyArn, '--management-account', MGMT, ...fast]);
  const revert = await run(['encryption', 'revert', ...base, ...fast, '--yes']);
  expect(revert.code).toBe(0);
  const status = await run(['encryption', 'status', ...base, '--format', 'json']);
  expect(status.code).toBe(0);
  expect(JSON.parse(status.io.out())).toMatchObject({ instanceArn: INSTANCE, keyType: 'AWS_OWNED_KMS_KEY', encryptionStatus: 'ENABLED', ownerAccountId: MGMT });
  const text = await run(['encryption', 'status', ...base]);
  expect(text.io.out()).toContain('encryption status ENABLED');
});
