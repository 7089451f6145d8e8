/**
 * Benchmark 2: drift of N targets (N accounts, one drift role each) against the local endpoint with a
 * fixed latency per call, measured from outside (child process: wall time, peak RSS), with the
 * requests it made (the endpoint's call log), the lower bound and a naive sequential checker.
 *
 * Lower bound = round trips on one target's critical path x latency x targets / concurrency. One
 * target's critical path is 2 round trips: AssumeRole for its account's drift role, then every read
 * (DescribeKey, GetKeyPolicy, GetKeyRotationStatus, ListAliases, ListResourceTags, DescribeInstance)
 * at once.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, KMSClient, ListAliasesCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { DescribeInstanceCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { prepareFleet } from '../demo/run-demo';
import { synthesize } from '../demo/synth';
import { DEFAULT_CONCURRENCY } from '../drift/run';
import { FLEET_REGIONS, fleetRolloutFile, syntheticFleet, SyntheticTarget } from './fleet';
import { measureNode, Measurement, medianByWall } from './measure';

export const DRIFT_TARGET_SECONDS = 5;
export const DRIFT_TARGET_MB = 300;
export const DRIFT_TARGET_RATIO = 1.3;
/** Round trips on one target's critical path (see the file comment). */
export const CRITICAL_PATH_ROUND_TRIPS = 2;

export interface DriftBenchResult {
  readonly targets: number;
  readonly latencyMs: number;
  readonly concurrency: number;
  /** `auto` (the default) or the --workers value this row used. */
  readonly workers: string;
  /** The median run of `runs`. */
  readonly run: Measurement;
  readonly runs: number;
  /** CPU time the local endpoint (in the bench process, on the same cores) spent during the median run. */
  readonly endpointCpuSeconds: number;
  readonly requests: number;
  readonly throttled: number;
  readonly inSync: number;
  readonly lowerBoundSeconds: number;
  /** Naive sequential checker over `naiveTargets` targets, and its time scaled to all targets. */
  readonly naive: { readonly targets: number; readonly seconds: number; readonly requests: number; readonly scaledSeconds: number };
}

const BIN = join(__dirname, '..', '..', 'bin', 'idc-cmk.js');

/** A drift configuration to measure besides the default: extra flags and a label for the table. */
export interface DriftVariant {
  readonly workers: string;
  /** Only at this fleet size. */
  readonly targets: number;
}

export async function benchDrift(
  sizes: readonly number[],
  latencyMs: number,
  naiveTargets: number,
  options: { readonly runs?: number; readonly variants?: readonly DriftVariant[] } = {},
): Promise<DriftBenchResult[]> {
  const runs = options.runs ?? 1;
  const results: DriftBenchResult[] = [];
  for (const n of sizes) {
    const dir = mkdtempSync(join(tmpdir(), `idc-cmk-bench-drift-${n}-`));
    const fleetTargets = syntheticFleet(n);
    const configPath = join(dir, 'fleet.yaml');
    writeFileSync(configPath, fleetRolloutFile(fleetTargets));
    const synthesized = await synthesize(configPath, dir);
    const fleet = await prepareFleet({
      config: configPath,
      synthesized,
      workDir: dir,
      seedWorld: (aws) => aws.seedFleet({ accounts: n, regions: [...FLEET_REGIONS] }),
    });
    try {
      fleet.aws.faults.set({ latencyMs });
      const naive = await naiveCheck(fleet.env, fleetTargets.slice(0, naiveTargets), fleet.aws.url);
      const settings = ['auto', ...(options.variants ?? []).filter((v) => v.targets === n).map((v) => v.workers)];
      for (const workers of settings) {
        const measured: Array<{ run: Measurement; requests: number; throttled: number; endpointCpuSeconds: number }> = [];
        for (let i = 0; i < runs; i++) {
          fleet.aws.clearCallLog();
          const cpuBefore = process.cpuUsage();
          const run = await measureNode(BIN, ['drift', '--config', configPath, '--state', fleet.stateDir, '--format', 'json', '--workers', workers], {
            env: { ...process.env, ...fleet.env },
          });
          const cpu = process.cpuUsage(cpuBefore);
          if (run.exitCode !== 0) throw new Error(`drift of ${n} targets (--workers ${workers}) exited ${run.exitCode}:\n${run.stderr.slice(0, 2000)}`);
          const calls = fleet.aws.callLog();
          measured.push({ run, requests: calls.length, throttled: calls.filter((c) => c.errorType === 'ThrottlingException').length, endpointCpuSeconds: (cpu.user + cpu.system) / 1e6 });
        }
        const median = medianByWall(measured, (m) => m.run.wallSeconds);
        const report = JSON.parse(median.run.stdout) as { summary: { inSync: number } };
        results.push({
          targets: n,
          latencyMs,
          concurrency: DEFAULT_CONCURRENCY,
          workers,
          run: median.run,
          runs,
          endpointCpuSeconds: median.endpointCpuSeconds,
          requests: median.requests,
          throttled: Math.max(...measured.map((m) => m.throttled)),
          inSync: report.summary.inSync,
          lowerBoundSeconds: (CRITICAL_PATH_ROUND_TRIPS * latencyMs * n) / 1000 / DEFAULT_CONCURRENCY,
          naive: { ...naive, scaledSeconds: (naive.seconds / naive.targets) * n },
        });
      }
    } finally {
      await fleet.aws.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}

/** What a naive checker does: one call after another, target after target. */
async function naiveCheck(env: NodeJS.ProcessEnv, targets: readonly SyntheticTarget[], endpoint: string): Promise<{ targets: number; seconds: number; requests: number }> {
  const base = { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! };
  const started = process.hrtime.bigint();
  let requests = 0;
  for (const t of targets) {
    const sts = new STSClient({ region: t.region, endpoint, credentials: base });
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${t.account}:role/idc-cmk-drift`, RoleSessionName: 'naive' }));
    const c = assumed.Credentials!;
    const credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
    const kms = new KMSClient({ region: t.region, endpoint, credentials });
    const sso = new SSOAdminClient({ region: t.region, endpoint, credentials });
    const key = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/identity-center' }));
    const KeyId = key.KeyMetadata!.KeyId!;
    await kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' }));
    await kms.send(new GetKeyRotationStatusCommand({ KeyId }));
    await kms.send(new ListAliasesCommand({ KeyId }));
    await kms.send(new ListResourceTagsCommand({ KeyId }));
    await sso.send(new DescribeInstanceCommand({ InstanceArn: t.instanceArn }));
    requests += 7;
    for (const client of [sts, kms, sso]) client.destroy();
  }
  return { targets: targets.length, seconds: Number(process.hrtime.bigint() - started) / 1e9, requests };
}
