/**
 * `idc-cmk demo` (= `npm run demo`): the main job end to end, with no AWS account.
 *
 * 1. starts the local AWS-compatible endpoint with the example fleet (two organizations);
 * 2. synthesizes the example rollout file (`idc-cmk.yaml`) with the compiled cdktf app;
 * 3. applies each stack to the endpoint through the SDK (deploy role per account) and writes its state;
 * 4. drifts one target as an intruder would: rotation off and a statement granting `*` everything;
 * 5. runs `idc-cmk drift` with the per-account drift roles and prints the report.
 *
 * Exits 0 when the demo ran as designed (the check found the planted drift: exit code 2), else 1.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AwsClientFactory } from '../aws/clients';
import { IdcCmkError } from '../core/errors';
import type { Io } from '../cli/io';
import { ExitCode } from '../cli/exit-codes';
import { startLocalAws, type LocalAws, type ScenarioInfo } from '../local-aws';
import { localApply, readSynthesizedStack, type LocalApplyResult, type SynthesizedStack } from './local-apply';
import { packageRoot, synthesize, type SynthesizedStacks } from './synth';

export interface DemoOptions {
  /** Rollout file to synthesize. @default the package's idc-cmk.yaml */
  readonly config?: string;
  /** Keep the working directory (synth output and state) and print its path. @default false */
  readonly keep?: boolean;
  /** Report format of the drift check. @default 'human' */
  readonly format?: string;
  /** Target to drift. @default the first target */
  readonly drift?: string;
}

/** The statement the demo's "intruder" adds: anyone may do anything with the key. */
export const INTRUDER_STATEMENT = { Sid: 'TemporaryDebugAccess', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' } as const;

export interface PreparedFleet {
  readonly aws: LocalAws;
  readonly scenario: ScenarioInfo;
  readonly configPath: string;
  readonly workDir: string;
  readonly stateDir: string;
  readonly applied: ReadonlyMap<string, LocalApplyResult>;
  /** Environment for the drift CLI: the endpoint and the tooling account's (CI principal's) credentials. */
  readonly env: NodeJS.ProcessEnv;
}

/** Steps 1-3: endpoint, synth, local apply. Also used by the end-to-end tests. */
export interface PrepareFleetOptions {
  readonly config?: string;
  readonly workDir?: string;
  /** Stacks synthesized earlier (skips the synth step: tests synthesize once per file). */
  readonly synthesized?: SynthesizedStacks;
  /** Changes a stack before it is applied (tests). */
  readonly transformStack?: (name: string, stack: SynthesizedStack) => SynthesizedStack;
  /** Seeds the world instead of the example fleet (tests with larger fleets). */
  readonly seedWorld?: (aws: LocalAws) => ScenarioInfo;
}

export async function prepareFleet(options: PrepareFleetOptions = {}): Promise<PreparedFleet> {
  const configPath = options.config ?? join(packageRoot(), 'idc-cmk.yaml');
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'idc-cmk-demo-'));
  const stateDir = join(workDir, 'state');
  const aws = await startLocalAws({ instanceUpdateDelayMs: 20 });
  try {
    const scenario = options.seedWorld ? options.seedWorld(aws) : aws.loadScenario('example-fleet');
    const tooling = scenario.tooling;
    if (!tooling) throw new IdcCmkError('INTERNAL', 'the example fleet has no tooling account');
    const env: NodeJS.ProcessEnv = {
      AWS_ENDPOINT_URL: aws.url,
      AWS_ACCESS_KEY_ID: tooling.accessKeyId,
      AWS_SECRET_ACCESS_KEY: tooling.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const { stacks } = options.synthesized ?? (await synthesize(configPath, workDir, { ...process.env, ...env }));
    const factory = new AwsClientFactory({ env, maxAttempts: 3 });
    const applied = new Map<string, LocalApplyResult>();
    try {
      for (const [name, file] of stacks) {
        const stack = readSynthesizedStack(file);
        applied.set(name, await localApply(options.transformStack ? options.transformStack(name, stack) : stack, { stackName: name, factory, stateDir }));
      }
    } finally {
      factory.destroy();
    }
    return { aws, scenario, configPath, workDir, stateDir, applied, env };
  } catch (e) {
    await aws.stop();
    throw e;
  }
}

/** The key ARN a local apply created for a stack. */
export function keyArnOf(result: LocalApplyResult): string {
  const key = result.applied.find((r) => r.type === 'aws_kms_key');
  if (!key || typeof key.attributes.arn !== 'string') throw new IdcCmkError('INTERNAL', 'the stack created no aws_kms_key');
  return key.attributes.arn;
}

export async function runDemo(options: DemoOptions, io: Io): Promise<number> {
  const say = (line = ''): void => void io.stderr.write(`${line}\n`);
  say('idc-cmk demo: the nightly drift check against a local AWS-compatible endpoint (no AWS account needed)');
  say();
  say('1. starting the local endpoint with the example fleet (accounts 111111111111 and 222222222222)');
  say('2. synthesizing idc-cmk.yaml with the cdktf app');
  say('3. applying each stack through the AWS SDK (role idc-cmk-deploy per account) and writing its state');
  const fleet = await prepareFleet({ ...(options.config ? { config: options.config } : {}) });
  try {
    for (const [name, r] of fleet.applied) {
      say(`   ${name}: ${r.applied.length} resources applied${r.skipped.length ? `, ${r.skipped.length} skipped (${[...new Set(r.skipped.map((s) => s.type))].join(', ')}: not served locally)` : ''} -> ${r.statePath}`);
    }
    const victim = options.drift ?? [...fleet.applied.keys()][0];
    const result = fleet.applied.get(victim);
    if (!result) throw new IdcCmkError('INPUT_INVALID', `--drift ${victim}: no such target (known: ${[...fleet.applied.keys()].join(', ')})`);
    const keyArn = keyArnOf(result);
    say(`4. drifting ${victim} as an intruder would: rotation turned off, and a key policy statement granting "*" kms:*`);
    fleet.aws.tamper.disableRotation(keyArn);
    const declared = result.applied.find((r) => r.type === 'aws_kms_key')!.attributes.policy as string;
    const policy = JSON.parse(declared) as { Statement: unknown[] };
    policy.Statement.push(INTRUDER_STATEMENT);
    fleet.aws.tamper.replaceKeyPolicy(keyArn, JSON.stringify(policy));

    const argv = ['node', 'idc-cmk', 'drift', '--config', fleet.configPath, '--state', fleet.stateDir, '--format', options.format ?? 'human'];
    say(`5. running: idc-cmk drift --config ${fleet.configPath} --state ${fleet.stateDir}`);
    say('   (as the CI principal in account 333333333333, assuming idc-cmk-drift in each target account)');
    say();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runCli } = require('../cli/main') as typeof import('../cli/main');
    const code = await runCli(argv, { ...io, env: { ...fleet.env, NO_COLOR: io.env.NO_COLOR } });
    say();
    const asDesigned = code === ExitCode.DIFFERENCES;
    say(`drift check exit code: ${code} (${code === 0 ? 'in sync' : code === 2 ? 'drift found' : 'could not check'})`);
    say(asDesigned ? `The demo ran as designed: the drift planted in ${victim} was found, the other targets are in sync.` : 'The demo did NOT run as designed: expected exit code 2 (drift found).');
    if (options.keep) say(`working directory kept: ${fleet.workDir}`);
    return asDesigned ? ExitCode.OK : ExitCode.FAILURE;
  } finally {
    await fleet.aws.stop();
    if (!options.keep) rmSync(fleet.workDir, { recursive: true, force: true });
  }
}
