/** Bad inputs and faults: each a clear per-target result, the right exit code, and no stack trace. */
import { execFile } from 'child_process';
import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'fs';
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import { join } from 'path';
import { drift, driftJson, keyArnOf, PreparedFleet, STACK_TRACE, target, useFleetPerTest } from './harness';

const fleets = useFleetPerTest();

const ACME = 'acme-prod';
const GLOBEX = 'globex-prod';

/** A state folder holding globex's good state plus one bad state file. */
function stateDirWith(f: PreparedFleet, badName: string, badText: string | undefined): string {
  const dir = join(f.workDir, `states-${badName}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(f.applied.get(GLOBEX)!.statePath, join(dir, `terraform.${GLOBEX}.tfstate`));
  if (badText !== undefined) writeFileSync(join(dir, badName), badText);
  return dir;
}

describe('bad state inputs', () => {
  const FOREIGN = JSON.stringify({ name: 'my-app', version: '1.0.0', dependencies: {} });
  const NO_RESOURCES = JSON.stringify({ version: 4, terraform_version: '1.9.8', serial: 1, lineage: 'x', outputs: {}, resources: [
    { mode: 'managed', type: 'aws_s3_bucket', name: 'b', provider: 'provider["hashicorp/aws"]', instances: [{ attributes: { id: 'b' } }] },
  ] });
  test.each([
    ['empty', '', 'STATE_INVALID'],
    ['corrupt', '{"version": 4, "resources": [', 'STATE_INVALID'],
    ['foreign', FOREIGN, 'STATE_FOREIGN'],
    ['without our resources', NO_RESOURCES, 'STATE_NO_RESOURCES'],
  ])('%s state: that target is unknown (%s), the others are checked, exit 1', async (_what, text, code) => {
    const fleet = await fleets.fresh();
    const dir = stateDirWith(fleet, `terraform.${ACME}.tfstate`, text as string);
    const r = await drift(fleet, ['--config', fleet.configPath, '--state', dir, '--format', 'json']);
    const report = JSON.parse(r.out);
    expect(target(report, ACME)).toMatchObject({ status: 'unknown', errors: [expect.objectContaining({ code })] });
    expect(target(report, GLOBEX).status).toBe('in_sync');
    expect(r.err).not.toMatch(STACK_TRACE);
    expect(r.code).toBe(1);
  });

  test('a missing state file is an unknown target naming the path; the other state is still checked', async () => {
    const fleet = await fleets.fresh();
    const missing = join(fleet.workDir, 'terraform.acme-prod.tfstate');
    const r = await drift(fleet, ['--config', fleet.configPath, '--state', missing, '--state', fleet.applied.get(GLOBEX)!.statePath, '--format', 'json']);
    const report = JSON.parse(r.out);
    const acme = target(report, ACME);
    expect(acme).toMatchObject({ status: 'unknown', errors: [expect.objectContaining({ code: 'STATE_NOT_FOUND' })] });
    expect(acme.errors[0].message).toContain('terraform.acme-prod.tfstate');
    expect(target(report, GLOBEX).status).toBe('in_sync');
    expect(r.code).toBe(1);
  });

  test('an unknown --target is its own unknown result, exit 1', async () => {
    const fleet = await fleets.fresh();
    const { report, code, err } = await driftJson(fleet, ['--target', 'acme-prod', '--target', 'initech-prod']);
    expect(target(report, 'initech-prod')).toMatchObject({ status: 'unknown', errors: [expect.objectContaining({ code: 'TARGET_UNKNOWN' })] });
    expect(target(report, ACME).status).toBe('in_sync');
    expect(report.targets.map((t) => t.target)).not.toContain(GLOBEX);
    expect(err).not.toMatch(STACK_TRACE);
    expect(code).toBe(1);
  });

  test('--target globs select targets', async () => {
    const fleet = await fleets.fresh();
    const { report, code } = await driftJson(fleet, ['--target', 'glob*']);
    expect(report.targets.map((t) => t.target)).toEqual([GLOBEX]);
    expect(code).toBe(0);
  });
});

describe('AWS faults', () => {
  test('AccessDenied for one account: that target is unknown (AWS_ACCESS_DENIED), the other in sync, exit 1', async () => {
    const fleet = await fleets.fresh();
    fleet.aws.faults.set({ failAccounts: { '222222222222': { errorType: 'AccessDeniedException', message: 'not authorized to perform kms:GetKeyPolicy' } } });
    const { report, code, err } = await driftJson(fleet);
    const g = target(report, GLOBEX);
    expect(g.status).toBe('unknown');
    expect(g.errors.map((e) => e.code)).toContain('AWS_ACCESS_DENIED');
    expect(g.findings).toEqual([]);
    expect(target(report, ACME).status).toBe('in_sync');
    expect(err).not.toMatch(STACK_TRACE);
    expect(code).toBe(1);
  });

  test('moderate throttling: adaptive retry gets every read through, exit 0', async () => {
    const fleet = await fleets.fresh();
    fleet.aws.faults.set({ throttleEveryNth: 3 });
    const { report, code } = await driftJson(fleet);
    expect(report.summary).toMatchObject({ inSync: 2, unknown: 0 });
    expect(fleet.aws.callLog().some((c) => c.errorType === 'ThrottlingException')).toBe(true);
    expect(code).toBe(0);
  });

  test('a throttling storm that exhausts the retries is unknown (AWS_THROTTLED), never in sync or drift', async () => {
    const fleet = await fleets.fresh();
    fleet.aws.faults.set({ throttleRate: 1, throttleOperations: ['GetKeyPolicy', 'GetKeyRotationStatus', 'DescribeKey', 'ListAliases', 'ListResourceTags', 'DescribeInstance'] });
    // standard retry: adaptive mode would also slow the client down to a crawl, which is right in production but slow here
    const { report, code, err } = await driftJson(fleet, [], { AWS_MAX_ATTEMPTS: '3', AWS_RETRY_MODE: 'standard' });
    for (const t of report.targets) {
      expect(t.status).toBe('unknown');
      expect(t.errors.map((e) => e.code)).toContain('AWS_THROTTLED');
    }
    expect(err).not.toMatch(STACK_TRACE);
    expect(code).toBe(1);
  });

  test('a target timed out while throttled names the throttling: AWS_TIMEOUT with the last AWS error', async () => {
    const fleet = await fleets.fresh();
    fleet.aws.faults.set({ throttleRate: 1, throttleOperations: ['GetKeyPolicy'] });
    const started = Date.now();
    const { report, code } = await driftJson(fleet, ['--target', ACME, '--timeout', '2']);
    expect(Date.now() - started).toBeLessThan(8000);
    const t = target(report, ACME);
    expect(t.status).toBe('unknown');
    const timeout = t.errors.find((e) => e.code === 'AWS_TIMEOUT');
    expect(timeout?.message).toContain('the last AWS error before that: ThrottlingException');
    expect(code).toBe(1);
  });

  test('latency above --timeout: the target is unknown (AWS_TIMEOUT), exit 1', async () => {
    const fleet = await fleets.fresh();
    fleet.aws.faults.set({ latencyByOperation: { GetKeyPolicy: 3000 } });
    const started = Date.now();
    const { report, code } = await driftJson(fleet, ['--timeout', '1']);
    expect(Date.now() - started).toBeLessThan(2900);
    for (const t of report.targets) {
      expect(t.status).toBe('unknown');
      expect(t.errors.map((e) => e.code)).toContain('AWS_TIMEOUT');
    }
    expect(code).toBe(1);
  });

  test('a timeout keeps what the other reads found and names the read that was stuck', async () => {
    const fleet = await fleets.fresh();
    fleet.aws.tamper.disableKey(keyArnOf(fleet.applied.get(ACME)!));
    fleet.aws.faults.set({ latencyByOperation: { DescribeInstance: 4000 } });
    const started = Date.now();
    const { report, code } = await driftJson(fleet, ['--target', ACME, '--timeout', '1']);
    expect(Date.now() - started).toBeLessThan(3500);
    const t = target(report, ACME);
    expect(t.status).toBe('unknown');
    expect(t.findings.map((f) => f.code)).toContain('KEY_DISABLED');
    expect(t.errors).toEqual([expect.objectContaining({ code: 'AWS_TIMEOUT', operation: expect.stringContaining('DescribeInstance') })]);
    expect(code).toBe(1);
  });

  test('ListAliases NotFound for a key DescribeKey found is "could not check", never an empty alias list', async () => {
    const fleet = await fleets.fresh();
    fleet.aws.faults.set({ failOperations: { ListAliases: { errorType: 'NotFoundException', status: 400, message: 'not found' } } });
    const { report, code } = await driftJson(fleet, ['--target', ACME]);
    const t = target(report, ACME);
    expect(t.status).toBe('unknown');
    expect(t.errors).toEqual([expect.objectContaining({ code: 'AWS_NOT_FOUND', operation: expect.stringContaining('ListAliases') })]);
    expect(code).toBe(1);
  });

  test('a role that cannot be assumed: one failure naming sts:AssumeRole and the role, no reads, exit 1', async () => {
    const fleet = await fleets.fresh();
    fleet.aws.faults.set({ failOperations: { AssumeRole: { errorType: 'AccessDenied', status: 403, message: 'not authorized to perform: sts:AssumeRole' } } });
    fleet.aws.clearCallLog();
    const { report, code } = await driftJson(fleet);
    for (const t of report.targets) {
      expect(t.status).toBe('unknown');
      expect(t.findings).toEqual([]);
      expect(t.errors).toEqual([expect.objectContaining({ code: 'AWS_ACCESS_DENIED', operation: 'sts:AssumeRole', message: expect.stringMatching(/^sts:AssumeRole arn:aws:iam::\d{12}:role\/idc-cmk-drift: AccessDenied/) })]);
    }
    expect(fleet.aws.callLog().filter((c) => c.service === 'kms' || c.service === 'sso')).toEqual([]);
    expect(code).toBe(1);
  });

  test('a slow AssumeRole is bounded by --timeout too', async () => {
    const fleet = await fleets.fresh();
    fleet.aws.faults.set({ latencyByOperation: { AssumeRole: 4000 } });
    const started = Date.now();
    const { report, code } = await driftJson(fleet, ['--timeout', '1']);
    expect(Date.now() - started).toBeLessThan(3500);
    for (const t of report.targets) expect(t.errors).toEqual([expect.objectContaining({ code: 'AWS_TIMEOUT', operation: 'sts:AssumeRole' })]);
    expect(code).toBe(1);
  });

  test('a 404 without an AWS error body (a wrong endpoint, a proxy) is "could not check", never KEY_MISSING', async () => {
    const fleet = await fleets.fresh();
    const server = createServer((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const port = (server.address() as AddressInfo).port;
      const { report, code } = await driftJson(fleet, [], { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_MAX_ATTEMPTS: '1' });
      for (const t of report.targets) {
        expect(t.status).toBe('unknown');
        expect(t.findings).toEqual([]);
      }
      expect(code).toBe(1);
    } finally {
      server.close();
    }
  });

  test('credentials of another account (no role for the target): "could not check", never KEY_MISSING', async () => {
    const fleet = await fleets.fresh();
    // No rollout file: the reads use the caller's own (tooling account) credentials.
    const r = await drift(fleet, ['--state', fleet.stateDir, '--format', 'json']);
    const report = JSON.parse(r.out) as { targets: Array<{ status: string; findings: Array<{ code: string }> }> };
    for (const t of report.targets) {
      expect(t.status).toBe('unknown');
      expect(t.findings).toEqual([]); // no KEY_MISSING, no ALIAS_MISSING: nothing was readable from the key's account
    }
    expect(r.code).toBe(1);
  });

  // A real process: inside jest's VM the SDK cannot see a socket error's code (cross-realm Error).
  test('an unreachable endpoint (a real process): every target unknown (AWS_UNREACHABLE), exit 1, no stack trace', async () => {
    const fleet = await fleets.fresh();
    const root = join(__dirname, '../../..');
    const args = ['drift', '--config', fleet.configPath, '--state', fleet.stateDir, '--format', 'json', '--timeout', '20'];
    const env = { ...process.env, ...fleet.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1', TS_NODE_PROJECT: join(root, 'tsconfig.json') };
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', "require('./cli/main').main(['node', 'idc-cmk', ...process.argv.slice(1)])", ...args],
        { cwd: root, env }, (err, out, errText) => done({ code: err ? (err as { code?: number }).code ?? 1 : 0, stdout: out, stderr: errText }));
    });
    const report = JSON.parse(stdout) as { targets: Array<{ status: string; errors: Array<{ code: string }> }> };
    for (const t of report.targets) {
      expect(t.status).toBe('unknown');
      expect(t.errors.map((e) => e.code)).toContain('AWS_UNREACHABLE');
    }
    expect(stderr).not.toMatch(STACK_TRACE);
    expect(code).toBe(1);
  }, 30_000);
});

describe('invalid flags', () => {
  test.each([
    [['--shard', '0/2'], /--shard.*"0\/2"/],
    [['--shard', '3/2'], /--shard.*"3\/2"/],
    [['--format', 'xml'], /--format.*"xml".*human, json, markdown, junit/],
    [['--concurrency', 'lots'], /--concurrency.*"lots"/],
    [['--timeout', '0'], /--timeout.*"0"/],
    [['--config', 'nope.yaml'], /nope\.yaml/],
  ])('%j: exit 1 with a message naming the flag and value, no stack trace', async (args, message) => {
    const fleet = await fleets.fresh();
    const r = await drift(fleet, ['--state', fleet.stateDir, ...(args as string[])]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message as RegExp);
    expect(r.err).not.toMatch(STACK_TRACE);
    expect(r.out).toBe('');
  });

  test('no state anywhere: exit 1 with a hint', async () => {
    const fleet = await fleets.fresh();
    const r = await drift(fleet, []);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/STATE_NOT_FOUND|no terraform\.\*\.tfstate|state/i);
    void readFileSync;
  });
});
