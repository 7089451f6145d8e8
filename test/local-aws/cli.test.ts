import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { captureIo } from '../../cli/io';
import { runCli } from '../../cli/main';
import { describeRunning, runLocalAws, startFromCli } from '../../local-aws/cli';

test('the banner prints the URL, AWS_ENDPOINT_URL and each seeded account credentials, which work', async () => {
  const { local, scenario } = await startFromCli({ scenario: 'example-fleet' });
  try {
    const text = describeRunning(local, scenario);
    expect(text).toContain(`export AWS_ENDPOINT_URL=${local.url}`);
    for (const account of ['111111111111', '222222222222', '333333333333']) expect(text).toContain(`AWS_ACCESS_KEY_ID=AKIDLOCAL${account}`);
    expect(text).toContain('arn:aws:iam::111111111111:role/idc-cmk-drift');
    const secret = /AKIDLOCAL333333333333\n\s+export AWS_SECRET_ACCESS_KEY=(\S+)/.exec(text)![1];
    const sts = new STSClient({ endpoint: local.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCAL333333333333', secretAccessKey: secret }, maxAttempts: 1 });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('333333333333');
    sts.destroy();
  } finally {
    await local.stop();
  }
});

test('runLocalAws serves until stopped and never prints the environment', async () => {
  const io = captureIo({ env: { AWS_SECRET_ACCESS_KEY: 'real-secret-from-env' } });
  let stop!: () => void;
  const code = await runLocalAws(io, { scenario: 'empty', latency: '1' }, new Promise<void>((r) => { stop = r; setImmediate(stop); }));
  expect(code).toBe(0);
  expect(io.out()).toMatch(/local-aws listening on http:\/\/127\.0\.0\.1:\d+ \(scenario empty\)/);
  expect(io.out() + io.err()).not.toContain('real-secret-from-env');
});

test.each([
  [['--scenario', 'nope'], '--scenario: got "nope"; allowed: empty, example-fleet, example-fleet-cmk'],
  [['--port', '70000'], '--port: got "70000"; allowed: a whole number from 0 to 65535'],
  [['--latency', '-5'], '--latency: got "-5"'],
])('idc-cmk local-aws %j is refused with the field, the value and what is allowed', async (args, message) => {
  const io = captureIo();
  const code = await runCli(['node', 'idc-cmk', 'local-aws', ...args], io);
  expect(code).toBe(1);
  expect(io.err()).toContain(message);
});

test('--faults reads YAML fault settings; --update-delay sets how long UpdateInstance stays UPDATING', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'idc-cmk-faults-'));
  writeFileSync(join(dir, 'faults.yaml'), 'throttleEveryNth: 2\nthrottleOperations: [GetCallerIdentity]\nfailOperations:\n  ListKeys: { errorType: AccessDeniedException, status: 400 }\n');
  const { local } = await startFromCli({ scenario: 'empty', faults: 'faults.yaml', updateDelay: '1234', latency: '3' }, dir);
  try {
    expect(local.faults.current()).toEqual({
      throttleEveryNth: 2,
      throttleOperations: ['GetCallerIdentity'],
      failOperations: { ListKeys: { errorType: 'AccessDeniedException', status: 400 } },
      latencyMs: 3,
    });
  } finally {
    await local.stop();
  }
});

test('bad fault settings are refused with every problem named: no fault that silently fires always or never', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'idc-cmk-faults-'));
  writeFileSync(join(dir, 'bad.yaml'), 'throttleEvryNth: 2\nthrottleRate: 5\ndropEveryNth: -1\nfailOperations:\n  describekey: { errorType: AccessDeniedException }\n');
  const io = captureIo({ cwd: dir });
  const code = await runCli(['node', 'idc-cmk', 'local-aws', '--faults', 'bad.yaml'], io);
  expect(code).toBe(1);
  expect(io.err()).toContain('error [INPUT_INVALID]: invalid fault settings in --faults bad.yaml');
  expect(io.err()).toContain('throttleEvryNth: got 2; allowed: no such key; known keys here:');
  expect(io.err()).toContain('throttleRate: got 5; allowed: a share of calls from 0 to 1');
  expect(io.err()).toContain('dropEveryNth: got -1; allowed: a whole number from 1 (every call) up');
  expect(io.err()).toMatch(/failOperations(\.describekey)?: got "describekey"; allowed: an operation the emulator serves \(case-sensitive\)/);
});

test('a port in use is an input error naming --port, not an internal bug', async () => {
  const { local } = await startFromCli({ scenario: 'empty' });
  try {
    const port = new URL(local.url).port;
    const io = captureIo();
    const code = await runCli(['node', 'idc-cmk', 'local-aws', '--port', port], io);
    expect(code).toBe(1);
    expect(io.err()).toContain(`error [INPUT_INVALID]: --port: got "${port}"; allowed: a free port on 127.0.0.1 (this one is in use)`);
    expect(io.err()).not.toContain('INTERNAL');
  } finally {
    await local.stop();
  }
});

test('Faults.set refuses invalid settings and keeps the old ones', async () => {
  const { local } = await startFromCli({ scenario: 'empty' });
  try {
    local.faults.set({ throttleEveryNth: 3 });
    expect(() => local.faults.set({ throttleEveryNth: 0.5 })).toThrow(/throttleEveryNth: got 0\.5; allowed: a whole number from 1/);
    expect(local.faults.current()).toEqual({ throttleEveryNth: 3 });
  } finally {
    await local.stop();
  }
});

test('the empty scenario says that nothing is seeded; each management account gets its Region', async () => {
  const empty = await startFromCli({ scenario: 'empty' });
  const fleet = await startFromCli({ scenario: 'example-fleet' });
  try {
    const text = describeRunning(empty.local, empty.scenario);
    expect(text).toContain('Scenario empty seeds no accounts, so every signed request is refused');
    expect(text).not.toContain('fake credentials');
    expect(describeRunning(fleet.local, fleet.scenario)).toMatch(/# management account 222222222222 \(eu-west-1, [^)]*\)\n {2}export AWS_ACCESS_KEY_ID=\S+\n {2}export AWS_SECRET_ACCESS_KEY=\S+\n {2}export AWS_REGION=eu-west-1\n/);
  } finally {
    await empty.local.stop();
    await fleet.local.stop();
  }
});

test('an unsigned S3 request is answered in S3\'s XML shape (AccessDenied, 403)', async () => {
  const { local } = await startFromCli({ scenario: 'empty' });
  try {
    const res = await fetch(`${local.url}/some-bucket/some-key`);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/xml');
    expect(await res.text()).toContain('<Code>AccessDenied</Code>');
  } finally {
    await local.stop();
  }
});

test('an operation list without its fault never fires, so it is refused; an unserved S3 operation is NotImplemented', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'idc-cmk-faults-'));
  writeFileSync(join(dir, 'f.yaml'), 'throttleOperations: [DescribeKey]\n');
  const io = captureIo({ cwd: dir });
  expect(await runCli(['node', 'idc-cmk', 'local-aws', '--faults', 'f.yaml'], io)).toBe(1);
  expect(io.err()).toContain('throttleOperations: got ["DescribeKey"]; allowed: only with throttleEveryNth or throttleRate');
});
