/** Issue 6: drift over a 50-target fleet in 50 accounts, one role per account, and shards that cover every target once. */
import { mkdtempSync, writeFileSync } from 'fs';
import { join } from 'path';
import { synthesize } from '../../../demo/synth';
import { prepareFleet } from '../../../demo/run-demo';
import { cleanupSynth, drift, keyArnOf, PreparedFleet, Synth } from './harness';

const N = 50;
const REGIONS = ['us-east-1', 'eu-west-1'];
const pad = (i: number, n: number) => String(i).padStart(n, '0');

function fleetConfig(): string {
  const targets = Array.from({ length: N }, (_, i) => [
    `  - name: t${pad(i, 3)}`,
    `    account: '${100_000_000_000 + i}'`,
    `    region: ${REGIONS[i % REGIONS.length]}`,
    `    instanceArn: arn:aws:sso:::instance/ssoins-${pad(i, 16)}`,
    `    identityStoreId: d-${pad(i, 10)}`,
    `    organizationId: o-${pad(i, 10)}`,
  ].join('\n'));
  return [
    'version: 1',
    'defaults:',
    '  assumeRole: { roleArn: "arn:{partition}:iam::{account}:role/idc-cmk-deploy" }',
    '  drift: { roleArn: "arn:{partition}:iam::{account}:role/idc-cmk-drift" }',
    'targets:',
    ...targets,
    '',
  ].join('\n');
}

let synth: Synth;
let fleet: PreparedFleet;
let configPath: string;
beforeAll(async () => {
  const dir = mkdtempSync(join(require('os').tmpdir(), 'idc-cmk-fleet-'));
  configPath = join(dir, 'fleet.yaml');
  writeFileSync(configPath, fleetConfig());
  synth = { dir, synthesized: await synthesize(configPath, dir) };
  fleet = await prepareFleet({ config: configPath, synthesized: synth.synthesized, workDir: dir, seedWorld: (aws) => aws.seedFleet({ accounts: N, regions: REGIONS }) });
}, 120_000);
afterAll(async () => {
  await fleet?.aws.stop();
  cleanupSynth(synth);
});

type Report = { summary: { targets: number; inSync: number }; targets: Array<{ target: string; status: string }> };

test(`${N} targets in ${N} accounts: all in sync, every account read with its own drift role`, async () => {
  fleet.aws.clearCallLog();
  const started = Date.now();
  const run = await drift(fleet, ['--config', configPath, '--state', fleet.stateDir, '--format', 'json']);
  const ms = Date.now() - started;
  const report = JSON.parse(run.out) as Report;
  expect(report.summary).toMatchObject({ targets: N, inSync: N });
  expect(run.code).toBe(0);
  const reads = fleet.aws.callLog().filter((c) => c.service === 'kms' || c.service === 'sso');
  const byAccount = new Map<string, Set<string>>();
  for (const c of reads) {
    const cred = fleet.aws.state.credentials.get(c.accessKeyId ?? '');
    expect({ role: cred?.roleName, account: cred?.accountId }).toEqual({ role: 'idc-cmk-drift', account: c.accountId });
    byAccount.set(c.accountId!, (byAccount.get(c.accountId!) ?? new Set()).add(c.accessKeyId!));
  }
  expect(byAccount.size).toBe(N);
  for (const keys of byAccount.values()) expect(keys.size).toBe(1);
  // eslint-disable-next-line no-console
  console.log(`drift over ${N} targets: ${ms} ms, ${reads.length} reads, ${fleet.aws.callLog().filter((c) => c.operation === 'AssumeRole').length} AssumeRole calls`);
}, 60_000);

test('--shard 1/4 .. 4/4 together cover every target exactly once', async () => {
  const seen: string[] = [];
  for (let i = 1; i <= 4; i++) {
    const run = await drift(fleet, ['--config', configPath, '--state', fleet.stateDir, '--format', 'json', '--shard', `${i}/4`]);
    expect(run.code).toBe(0);
    const names = (JSON.parse(run.out) as Report).targets.map((t) => t.target);
    expect(names.length).toBeGreaterThan(0);
    seen.push(...names);
  }
  expect(seen.sort()).toEqual(Array.from({ length: N }, (_, i) => `t${pad(i, 3)}`));
}, 60_000);

describe('worker threads (--workers)', () => {
  type FullReport = Report & { generatedAt: string; targets: Array<{ target: string; status: string; findings: Array<{ code: string }> }> };
  const run = async (workers: string): Promise<{ code: number; report: FullReport; assumeRoles: number }> => {
    fleet.aws.clearCallLog();
    const r = await drift(fleet, ['--config', configPath, '--state', fleet.stateDir, '--format', 'json', '--workers', workers]);
    const assumeRoles = fleet.aws.callLog().filter((c) => c.operation === 'AssumeRole').length;
    return { code: r.code, report: JSON.parse(r.out) as FullReport, assumeRoles };
  };

  test('2 workers give the same report as the main thread, drift included, with one AssumeRole per account', async () => {
    const keyArn = keyArnOf(fleet.applied.get('t007')!);
    fleet.aws.tamper.disableRotation(keyArn);
    try {
      const inThread = await run('0');
      const threaded = await run('2');
      expect(threaded.code).toBe(2);
      expect(inThread.code).toBe(2);
      const strip = (r: FullReport) => ({ ...r, generatedAt: '' });
      expect(strip(threaded.report)).toEqual(strip(inThread.report));
      expect(threaded.report.targets.find((t) => t.target === 't007')).toMatchObject({ status: 'drifted', findings: [{ code: 'ROTATION_DISABLED' }] });
      expect(threaded.report.summary).toMatchObject({ targets: N, inSync: N - 1 });
      expect(threaded.assumeRoles).toBe(N);
    } finally {
      fleet.aws.tamper.setRotation(keyArn, true, 365);
    }
  }, 120_000);

  test.each([['-1'], ['17'], ['two'], ['1.5']])('--workers %s is refused with the allowed values', async (value) => {
    const r = await drift(fleet, ['--config', configPath, '--state', fleet.stateDir, '--workers', value]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('--workers');
    expect(r.err).toContain(JSON.stringify(value));
    expect(r.err).toContain('auto, or a whole number from 0 to 16');
  });
});
