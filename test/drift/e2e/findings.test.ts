/** One end-to-end test per finding kind: tamper the live world, run `idc-cmk drift`, expect the code and exit 2. */
import { driftJson, keyArnOf, PreparedFleet, STACK_TRACE, target, useFleetPerTest } from './harness';

const fleets = useFleetPerTest();

const ACME = 'acme-prod';
const ACME_ACCOUNT = '111111111111';
const REGION = 'us-east-1';

interface Ctx {
  readonly fleet: PreparedFleet;
  readonly keyArn: string;
  readonly keyId: string;
  readonly policy: { Statement: Array<Record<string, unknown>> };
  readonly instanceArn: string;
}

function ctxOf(f: PreparedFleet): Ctx {
  const applied = f.applied.get(ACME)!;
  const keyArn = keyArnOf(applied);
  const declared = applied.applied.find((r) => r.type === 'aws_kms_key')!.attributes.policy as string;
  return { fleet: f, keyArn, keyId: keyArn.split('/')[1], policy: JSON.parse(declared), instanceArn: f.scenario.targets[0].instanceArn };
}

const CASES: ReadonlyArray<[code: string, tamper: (c: Ctx) => void]> = [
  ['KEY_DISABLED', (c) => c.fleet.aws.tamper.disableKey(c.keyArn)],
  ['KEY_PENDING_DELETION', (c) => c.fleet.aws.tamper.scheduleKeyDeletion(c.keyArn, 7)],
  ['KEY_MISSING', (c) => {
    c.fleet.aws.tamper.scheduleKeyDeletion(c.keyArn, 7);
    c.fleet.aws.advanceClock(8 * 86_400_000);
  }],
  ['ROTATION_DISABLED', (c) => c.fleet.aws.tamper.disableRotation(c.keyArn)],
  ['ROTATION_PERIOD_CHANGED', (c) => c.fleet.aws.tamper.setRotation(c.keyArn, true, 180)],
  ['DESCRIPTION_CHANGED', (c) => {
    c.fleet.aws.seed.key(c.keyArn).description = 'changed by hand';
  }],
  ['POLICY_WIDENED', (c) => c.fleet.aws.tamper.replaceKeyPolicy(c.keyArn, JSON.stringify({
    ...c.policy, Statement: [...c.policy.Statement, { Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }],
  }))],
  ['POLICY_IDC_ACCESS_REMOVED', (c) => c.fleet.aws.tamper.replaceKeyPolicy(c.keyArn, JSON.stringify({
    ...c.policy, Statement: c.policy.Statement.filter((s) => s.Sid !== 'IdentityCenterUseKey'),
  }))],
  ['POLICY_SID_RENAMED', (c) => c.fleet.aws.tamper.replaceKeyPolicy(c.keyArn, JSON.stringify({
    ...c.policy, Statement: c.policy.Statement.map((s) => (s.Sid === 'AdminsDescribeKey' ? { ...s, Sid: 'RenamedByHand' } : s)),
  }))],
  ['ALIAS_MISSING', (c) => c.fleet.aws.tamper.deleteAlias(ACME_ACCOUNT, REGION, 'alias/acme/identity-center')],
  ['ALIAS_MOVED', (c) => {
    const other = c.fleet.aws.seed.createKey({ accountId: ACME_ACCOUNT, region: REGION, description: 'another key' });
    c.fleet.aws.tamper.moveAlias(ACME_ACCOUNT, REGION, 'alias/identity-center', other.keyId);
  }],
  ['ALIAS_UNEXPECTED', (c) => void c.fleet.aws.seed.createAlias(ACME_ACCOUNT, REGION, 'alias/extra', c.keyId)],
  ['TAG_MISSING', (c) => c.fleet.aws.tamper.changeTags(c.keyArn, { Owner: undefined })],
  ['TAG_CHANGED', (c) => c.fleet.aws.tamper.changeTags(c.keyArn, { CostCenter: '9999' })],
  ['TAG_UNEXPECTED', (c) => c.fleet.aws.tamper.changeTags(c.keyArn, { Shadow: 'it' })],
  ['INSTANCE_SWITCHED_TO_AWS_OWNED_KEY', (c) => c.fleet.aws.tamper.switchInstanceToAwsOwnedKey(c.instanceArn)],
  ['INSTANCE_USES_OTHER_KEY', (c) => {
    const other = c.fleet.aws.seed.createKey({ accountId: ACME_ACCOUNT, region: REGION, description: 'another key' });
    c.fleet.aws.tamper.setInstanceEncryption(c.instanceArn, { keyType: 'CUSTOMER_MANAGED_KEY', kmsKeyArn: other.arn, status: 'ENABLED' });
  }],
  ['INSTANCE_ENCRYPTION_UPDATING', (c) => c.fleet.aws.tamper.setInstanceEncryption(c.instanceArn, { keyType: 'CUSTOMER_MANAGED_KEY', kmsKeyArn: c.keyArn, status: 'UPDATING' })],
  ['INSTANCE_ENCRYPTION_UPDATE_FAILED', (c) => c.fleet.aws.tamper.setInstanceEncryption(c.instanceArn, {
    keyType: 'CUSTOMER_MANAGED_KEY', kmsKeyArn: c.keyArn, status: 'UPDATE_FAILED', reason: 'The key policy does not allow Identity Center to use the key',
  })],
];

describe('each finding kind end to end', () => {
  test.each(CASES)('%s: found, exit 2, the other target still in sync', async (code, tamper) => {
    const fleet = await fleets.fresh();
    tamper(ctxOf(fleet));
    const run = await driftJson(fleet);
    expect(run.err).not.toMatch(STACK_TRACE);
    const acme = target(run.report, ACME);
    expect(acme.errors).toEqual([]);
    expect(acme.findings.map((f) => f.code)).toContain(code);
    expect(acme.status).toBe('drifted');
    expect(target(run.report, 'globex-prod').status).toBe('in_sync');
    expect(run.code).toBe(2);
  });

  test("a tag the rollout file ignores (drift.ignore.tags: LastReviewed) is counted as ignored, not drift", async () => {
    const fleet = await fleets.fresh();
    fleet.aws.tamper.changeTags(ctxOf(fleet).keyArn, { LastReviewed: '2026-11-01' });
    const run = await driftJson(fleet);
    expect(target(run.report, ACME)).toMatchObject({ status: 'in_sync', findings: [], ignored: 1 });
    expect(run.code).toBe(0);
  });

  test('--ignore-file suppresses a finding code for a target', async () => {
    const fleet = await fleets.fresh();
    fleet.aws.tamper.disableRotation(ctxOf(fleet).keyArn);
    const file = require('path').join(fleet.workDir, 'ignore.yaml') as string;
    require('fs').writeFileSync(file, 'version: 1\nrules:\n  - target: acme-*\n    codes: [ROTATION_DISABLED]\n    reason: rotation handled by hand\n');
    const run = await driftJson(fleet, ['--ignore-file', file]);
    expect(target(run.report, ACME)).toMatchObject({ status: 'in_sync', ignored: 1 });
    expect(run.code).toBe(0);
  });
});
