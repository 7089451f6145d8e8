import { GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { readFileSync } from 'fs';
import { join } from 'path';
import { LIVE_ACTIONS } from '../../../drift/live';
import { drift, driftJson, keyArnOf, STACK_TRACE, useFleetPerTest } from './harness';

const fleets = useFleetPerTest();

describe('idc-cmk drift right after local apply', () => {
  test('every target is in sync with zero findings, although AWS re-serialised every policy', async () => {
    const fleet = await fleets.fresh();
    // GIVEN the live policy text differs from the one in state (AWS-style re-serialisation)
    for (const [name, applied] of fleet.applied) {
      const arn = keyArnOf(applied);
      const region = arn.split(':')[3];
      const t = fleet.scenario.targets.find((x) => x.region === region)!;
      const kms = new KMSClient(fleet.aws.clientConfig(t.credentials, region));
      const live = (await kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' }))).Policy;
      const declared = applied.applied.find((r) => r.type === 'aws_kms_key')!.attributes.policy;
      expect({ name, same: live === declared }).toEqual({ name, same: false });
      kms.destroy();
    }
    // WHEN
    const { code, report, err } = await driftJson(fleet);
    // THEN
    expect(err).not.toMatch(STACK_TRACE);
    expect(report.summary).toMatchObject({ targets: 2, inSync: 2, drifted: 0, unknown: 0 });
    for (const t of report.targets) expect({ target: t.target, findings: t.findings, errors: t.errors }).toEqual({ target: t.target, findings: [], errors: [] });
    expect(code).toBe(0);
  });

  test("the call log proves each account's reads were signed with that account's drift role", async () => {
    const fleet = await fleets.fresh();
    fleet.aws.clearCallLog();
    const { code } = await driftJson(fleet);
    expect(code).toBe(0);
    const log = fleet.aws.callLog();
    const reads = log.filter((c) => c.service === 'kms' || c.service === 'sso');
    expect(reads.length).toBeGreaterThan(0);
    for (const c of reads) {
      const cred = fleet.aws.state.credentials.get(c.accessKeyId ?? '');
      expect({ op: c.operation, status: c.status, kind: cred?.kind, role: cred?.roleName, account: cred?.accountId }).toEqual({
        op: c.operation, status: 200, kind: 'assumed-role', role: 'idc-cmk-drift', account: c.accountId,
      });
    }
    // each target account's key was read by that account, and only one drift session per account
    for (const t of fleet.scenario.targets) {
      const mine = reads.filter((c) => c.accountId === t.accountId);
      expect(mine.map((c) => c.operation)).toEqual(expect.arrayContaining(['DescribeKey', 'GetKeyPolicy', 'GetKeyRotationStatus', 'ListAliases', 'ListResourceTags', 'DescribeInstance']));
      expect(new Set(mine.map((c) => c.accessKeyId)).size).toBe(1);
    }
    // AssumeRole was called by the CI principal of the tooling account, once per account
    const assumes = log.filter((c) => c.operation === 'AssumeRole');
    expect(assumes.every((c) => c.accountId === '333333333333')).toBe(true);
    expect(assumes).toHaveLength(fleet.scenario.targets.length);
    // and the least-privilege policy allows every action the reader used
    const policy = JSON.parse(readFileSync(join(__dirname, '../../../iam/drift-readonly-policy.json'), 'utf8')) as { Statement: Array<{ Action: string | string[] }> };
    const allowed = new Set(policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
    const used = new Set(reads.map((c) => `${c.service}:${c.operation}`));
    for (const action of used) expect({ action, allowed: allowed.has(action) }).toEqual({ action, allowed: true });
    for (const action of LIVE_ACTIONS) expect(used.has(action) || action === 'kms:DescribeKey').toBe(true);
  });

  test.each(['json', 'markdown', 'junit', 'human'])('--format %s renders a report that parses', async (format) => {
    const fleet = await fleets.fresh();
    const run = await drift(fleet, ['--config', fleet.configPath, '--state', fleet.stateDir, '--format', format, '--no-color']);
    expect(run.code).toBe(0);
    if (format === 'json') expect(JSON.parse(run.out).summary.inSync).toBe(2);
    if (format === 'markdown') expect(run.out).toMatch(/^#+ .*|\|.*\|/m);
    if (format === 'junit') {
      expect(run.out).toMatch(/^<\?xml version="1.0"/);
      expect(run.out).toMatch(/<testsuites?[\s>]/);
      expect((run.out.match(/<testcase[\s>]/g) ?? []).length).toBeGreaterThanOrEqual(2);
    }
    if (format === 'human') expect(run.out).toMatch(/acme-prod/);
    expect(run.out).not.toMatch(/\x1b\[/);
  });

  test('--state - reads terraform state pull output from stdin with --target', async () => {
    const fleet = await fleets.fresh();
    const text = readFileSync(fleet.applied.get('globex-prod')!.statePath, 'utf8');
    const run = await drift(fleet, ['--config', fleet.configPath, '--state', '-', '--target', 'globex-prod', '--format', 'json'], {}, text);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out).targets.map((t: { target: string; status: string }) => [t.target, t.status])).toEqual([['globex-prod', 'in_sync']]);
  });

  test('--output writes the report to a file; the summary goes to stderr', async () => {
    const fleet = await fleets.fresh();
    const out = join(fleet.workDir, 'report.json');
    const run = await drift(fleet, ['--config', fleet.configPath, '--state', fleet.stateDir, '--format', 'json', '--output', out]);
    expect(run.code).toBe(0);
    expect(run.out).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.targets).toBe(2);
    expect(run.err).toMatch(/2 target\(s\): 2 in sync/);
  });
});
