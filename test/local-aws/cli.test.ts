import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
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
