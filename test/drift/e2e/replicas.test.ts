/**
 * Drift with a multi-Region replica, end to end: the example fleet with acme-prod replicated to
 * eu-west-1, applied to the local endpoint, then read back through the real SDK clients. Each
 * replica is read in its own Region with the target's drift role, and drift on the replica alone is
 * reported as replica drift.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { KMSClient, ReplicateKeyCommand } from '@aws-sdk/client-kms';
import { synthesize } from '../../../demo/synth';
import { prepareFleet } from '../../../demo/run-demo';
import { cleanupSynth, drift, EXAMPLE_CONFIG, PreparedFleet, Synth } from './harness';

let synth: Synth;
let fleet: PreparedFleet;
let configPath: string;
let replicaArn: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'idc-cmk-replicas-'));
  configPath = join(dir, 'idc-cmk.yaml');
  const example = readFileSync(EXAMPLE_CONFIG, 'utf8');
  const withReplica = example.replace(/(\n  - name: acme-prod\n)/, '$1    replicaRegions: [eu-west-1]\n');
  expect(withReplica).not.toBe(example);
  writeFileSync(configPath, withReplica);
  synth = { dir, synthesized: await synthesize(configPath, dir) };
  fleet = await prepareFleet({ config: configPath, synthesized: synth.synthesized, workDir: dir });
  const replica = fleet.applied.get('acme-prod')!.applied.find((r) => r.type === 'aws_kms_replica_key');
  replicaArn = String(replica?.attributes.arn);
  expect(replicaArn).toMatch(/^arn:aws:kms:eu-west-1:111111111111:key\/mrk-/);
}, 120_000);
afterAll(async () => {
  await fleet?.aws.stop();
  cleanupSynth(synth);
});

type Report = { summary: { targets: number; inSync: number; drifted: number }; targets: Array<{ target: string; status: string; findings: Array<{ code: string; address: string }> }> };
const run = async () => {
  const r = await drift(fleet, ['--config', configPath, '--state', fleet.stateDir, '--format', 'json']);
  return { code: r.code, report: JSON.parse(r.out) as Report };
};

test('in sync: the replica is read in its own Region with the drift role', async () => {
  fleet.aws.clearCallLog();
  const { code, report } = await run();
  expect(report.summary).toMatchObject({ targets: 2, inSync: 2 });
  expect(code).toBe(0);
  const replicaReads = fleet.aws.callLog().filter((c) => c.service === 'kms' && c.region === 'eu-west-1' && c.accountId === '111111111111');
  expect(replicaReads.map((c) => c.operation).sort()).toEqual(expect.arrayContaining(['DescribeKey', 'GetKeyPolicy', 'ListResourceTags']));
  for (const c of replicaReads) expect(fleet.aws.state.credentials.get(c.accessKeyId ?? '')?.roleName).toBe('idc-cmk-drift');
});

test.each([
  ['REPLICA_DISABLED', () => fleet.aws.tamper.disableKey(replicaArn), () => fleet.aws.tamper.enableKey(replicaArn)],
  ['REPLICA_TAG_CHANGED', () => fleet.aws.tamper.changeTags(replicaArn, { DataClassification: 'public' }), () => fleet.aws.tamper.changeTags(replicaArn, { DataClassification: 'confidential' })],
])('%s: drift on the replica alone is replica drift, exit 2', async (code, tamper, undo) => {
  tamper();
  try {
    const { code: exit, report } = await run();
    expect(exit).toBe(2);
    const acme = report.targets.find((t) => t.target === 'acme-prod')!;
    expect(acme.status).toBe('drifted');
    expect(acme.findings.map((f) => f.code)).toEqual([code]);
    expect(acme.findings[0]!.address).toMatch(/^aws_kms_replica_key\./);
    expect(report.targets.find((t) => t.target === 'globex-prod')!.status).toBe('in_sync');
  } finally {
    undo();
  }
  expect((await run()).code).toBe(0);
});

test('REPLICA_UNMANAGED: a replica made outside the stack (ReplicateKey to another Region) is drift, exit 2', async () => {
  const primaryArn = String(fleet.applied.get('acme-prod')!.applied.find((r) => r.type === 'aws_kms_key')?.attributes.arn);
  const kms = new KMSClient({ ...fleet.aws.clientConfig('111111111111', 'us-east-1'), maxAttempts: 1 });
  try {
    await kms.send(new ReplicateKeyCommand({ KeyId: primaryArn, ReplicaRegion: 'ap-southeast-2' }));
  } finally {
    kms.destroy();
  }
  const { code, report } = await run();
  expect(code).toBe(2);
  const acme = report.targets.find((t) => t.target === 'acme-prod')!;
  expect(acme.findings).toEqual([expect.objectContaining({ code: 'REPLICA_UNMANAGED', address: expect.stringMatching(/^aws_kms_key\./), actual: 'ap-southeast-2', expected: 'eu-west-1' })]);
});
