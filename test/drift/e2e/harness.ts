/**
 * End-to-end harness: the example rollout file synthesized once per test file, a fresh local endpoint
 * and local apply per test (tampering is destructive), and `idc-cmk drift` run through runCli.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { captureIo } from '../../../cli/io';
import { runCli } from '../../../cli/main';
import { PreparedFleet, keyArnOf, prepareFleet, PrepareFleetOptions } from '../../../demo/run-demo';
import type { SynthesizedStack } from '../../../demo/local-apply';
import { packageRoot, synthesize, SynthesizedStacks } from '../../../demo/synth';

export const EXAMPLE_CONFIG = join(packageRoot(), 'idc-cmk.yaml');

/** Adds the instance-encryption record to a stack that lacks one (until every stack carries it). */
export function withEncryptionRecord(_name: string, stack: SynthesizedStack): SynthesizedStack {
  const resources = { ...(stack.resource ?? {}) } as Record<string, Record<string, Record<string, unknown>>>;
  const data = { ...(resources.terraform_data ?? {}) };
  const records = Object.values(data).map((r) => r.input as Record<string, unknown> | undefined);
  if (records.some((i) => i?.kind === 'idc-cmk/instance-encryption')) return stack;
  const target = records.find((i) => i?.kind === 'idc-cmk/target');
  const keyName = Object.keys(resources.aws_kms_key ?? {})[0];
  if (!target || !keyName) return stack;
  data['instance-encryption'] = {
    input: {
      kind: 'idc-cmk/instance-encryption',
      schema_version: 1,
      instance_arn: target.instance_arn,
      region: target.region,
      key_type: 'CUSTOMER_MANAGED_KEY',
      kms_key_arn: `\${aws_kms_key.${keyName}.arn}`,
    },
  };
  resources.terraform_data = data;
  return { ...stack, resource: resources };
}

export interface Synth {
  readonly dir: string;
  readonly synthesized: SynthesizedStacks;
}

export async function synthOnce(config = EXAMPLE_CONFIG): Promise<Synth> {
  const dir = mkdtempSync(join(tmpdir(), 'idc-cmk-e2e-'));
  return { dir, synthesized: await synthesize(config, dir) };
}

export function cleanupSynth(s: Synth | undefined): void {
  if (s) rmSync(s.dir, { recursive: true, force: true });
}

export async function freshFleet(synth: Synth, options: PrepareFleetOptions = {}): Promise<PreparedFleet> {
  const workDir = mkdtempSync(join(synth.dir, 'run-'));
  return prepareFleet({ config: EXAMPLE_CONFIG, synthesized: synth.synthesized, workDir, transformStack: withEncryptionRecord, ...options });
}

/**
 * The lifecycle every end-to-end file shares: the example synthesized once per file, a fresh fleet
 * (endpoint + local apply) per test, stopped after the test. Call at the top level of a test file.
 */
export function useFleetPerTest(): { fresh(options?: PrepareFleetOptions): Promise<PreparedFleet> } {
  let synth: Synth;
  let current: PreparedFleet | undefined;
  beforeAll(async () => {
    synth = await synthOnce();
  }, 60_000);
  afterAll(() => cleanupSynth(synth));
  afterEach(async () => {
    await current?.aws.stop();
    current = undefined;
  });
  return { fresh: async (options) => (current = await freshFleet(synth, options)) };
}

export interface DriftRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function drift(fleet: PreparedFleet, args: readonly string[], env: NodeJS.ProcessEnv = {}, stdin?: string): Promise<DriftRun> {
  const io = captureIo({ env: { ...fleet.env, ...env }, cwd: fleet.workDir, ...(stdin !== undefined ? { stdin } : {}) });
  const code = await runCli(['node', 'idc-cmk', 'drift', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

/** `drift --config <example> --state <stateDir> --format json ...`, parsed. */
export async function driftJson(fleet: PreparedFleet, extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}) {
  const run = await drift(fleet, ['--config', fleet.configPath, '--state', fleet.stateDir, '--format', 'json', ...extra], env);
  let report: JsonReport;
  try {
    report = JSON.parse(run.out) as JsonReport;
  } catch {
    throw new Error(`drift printed no JSON report (exit ${run.code}):\n${run.out}\n${run.err}`);
  }
  return { ...run, report };
}

export interface JsonReport {
  readonly summary: { targets: number; inSync: number; drifted: number; unknown: number };
  readonly targets: ReadonlyArray<{
    target: string;
    status: 'in_sync' | 'drifted' | 'unknown';
    findings: ReadonlyArray<{ code: string; attribute: string; severity: string }>;
    errors: ReadonlyArray<{ code: string; operation: string; message: string }>;
    ignored: number;
  }>;
}

export function target(report: JsonReport, name: string) {
  const t = report.targets.find((x) => x.target === name);
  if (!t) throw new Error(`no target ${name} in the report: ${report.targets.map((x) => x.target).join(', ')}`);
  return t;
}

/** A stack trace line. */
export const STACK_TRACE = /\n\s+at .+\(.*:\d+:\d+\)/;

export { keyArnOf };
export type { PreparedFleet };
