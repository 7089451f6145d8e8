/** State from an S3 backend (with and without workspaces) and the Markdown job summary, end to end. */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { cleanupSynth, drift, freshFleet, PreparedFleet, Synth, synthOnce } from './harness';

type Report = { summary: { targets: number; inSync: number }; targets: Array<{ target: string; status: string }> };

const BUCKET = 'idc-cmk-state';

let synth: Synth;
let fleet: PreparedFleet;
beforeAll(async () => {
  synth = await synthOnce();
  fleet = await freshFleet(synth);
  const tooling = fleet.scenario.tooling!;
  fleet.aws.seed.createBucket({ name: BUCKET, accountId: tooling.accountId });
  for (const file of readdirSync(fleet.stateDir).filter((f) => f.endsWith('.tfstate'))) {
    const target = file.replace(/^terraform\.(.*)\.tfstate$/, '$1');
    const body = readFileSync(join(fleet.stateDir, file), 'utf8');
    fleet.aws.seed.putObject(BUCKET, `idc-cmk/${target}.tfstate`, body);
    if (target === 'globex-prod') fleet.aws.seed.putObject(BUCKET, `env:/prod/idc-cmk/${target}.tfstate`, body);
  }
}, 120_000);
afterAll(async () => {
  await fleet?.aws.stop();
  cleanupSynth(synth);
});

test('--state-s3 reads every target state under the prefix (default workspace only)', async () => {
  fleet.aws.clearCallLog();
  const run = await drift(fleet, ['--config', fleet.configPath, '--state-s3', `s3://${BUCKET}/idc-cmk`, '--format', 'json']);
  const report = JSON.parse(run.out) as Report;
  expect(report.targets.map((t) => [t.target, t.status])).toEqual([
    ['acme-prod', 'in_sync'],
    ['globex-prod', 'in_sync'],
  ]);
  expect(run.code).toBe(0);
  const s3Calls = fleet.aws.callLog().filter((c) => c.service === 's3');
  expect(s3Calls.map((c) => c.operation)).toEqual(expect.arrayContaining(['ListObjectsV2', 'GetObject']));
  expect(s3Calls.every((c) => c.accountId === fleet.scenario.tooling!.accountId)).toBe(true);
});

test('--workspace reads the env:/<workspace>/ objects only', async () => {
  const run = await drift(fleet, ['--config', fleet.configPath, '--state-s3', `s3://${BUCKET}/idc-cmk`, '--workspace', 'prod', '--target', 'globex-prod', '--format', 'json']);
  const report = JSON.parse(run.out) as Report;
  expect(report.targets.map((t) => [t.target, t.status])).toEqual([['globex-prod', 'in_sync']]);
  expect(run.code).toBe(0);
});

test('a bucket the caller cannot read is a clear error, exit 1, no stack trace', async () => {
  fleet.aws.seed.createBucket({ name: 'someone-elses-state', accountId: '444444444444' });
  const run = await drift(fleet, ['--config', fleet.configPath, '--state-s3', 's3://someone-elses-state/idc-cmk', '--format', 'json']);
  expect(run.code).toBe(1);
  expect(run.err + run.out).toMatch(/AccessDenied|AWS_ACCESS_DENIED/);
  expect(run.err).not.toMatch(/\n\s+at /);
});

test('--markdown-summary appends the Markdown report next to the main format', async () => {
  const summary = 'summary.md';
  for (let i = 0; i < 2; i++) {
    const run = await drift(fleet, ['--config', fleet.configPath, '--state', fleet.stateDir, '--format', 'json', '--output', 'report.json', '--markdown-summary', summary]);
    expect(run.code).toBe(0);
  }
  const json = JSON.parse(readFileSync(join(fleet.workDir, 'report.json'), 'utf8')) as Report;
  expect(json.summary).toMatchObject({ targets: 2, inSync: 2 });
  const md = readFileSync(join(fleet.workDir, summary), 'utf8');
  expect(md.match(/acme-prod/g)?.length).toBeGreaterThanOrEqual(2);
  expect(md).toContain('|');
});
