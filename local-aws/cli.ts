/**
 * `idc-cmk local-aws`: runs the emulator until SIGINT/SIGTERM and prints how to point tools at it.
 * Only the emulator's own fake, seeded credentials are printed; nothing is read from the environment.
 */
import type { Io } from '../cli/io';
import { describeProblem, inputError } from '../core/errors';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { parse as parseYaml } from 'yaml';
import { MAX_FAULT_LATENCY_MS, validateFaultSettings } from './fault-settings';
import { SCENARIO_NAMES, type ScenarioInfo, type ScenarioName } from './scenarios';
import { startLocalAws, type LocalAws } from './server';

export interface LocalAwsCliOptions {
  /** @default 0 (ephemeral) */
  readonly port?: string;
  /** @default 'example-fleet' */
  readonly scenario?: string;
  /** Added to every call, in ms. @default 0 */
  readonly latency?: string;
  /** A YAML or JSON file of fault settings (local-aws/faults.ts: throttling, failing operations or accounts, drops, latency). @default none */
  readonly faults?: string;
  /** How long UpdateInstance stays UPDATING, in ms. @default the emulator's (DEFAULT_INSTANCE_UPDATE_DELAY_MS) */
  readonly updateDelay?: string;
}

export const DEFAULT_CLI_SCENARIO: ScenarioName = 'example-fleet';
export const MAX_PORT = 65_535;

function parseWhole(field: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > max) throw inputError(describeProblem(field, value, `a whole number from 0 to ${max}`));
  return n;
}

/** Starts the emulator as the CLI would; resolves with it and the loaded scenario (used by tests and the demo). */
export async function startFromCli(options: LocalAwsCliOptions, cwd = process.cwd()): Promise<{ local: LocalAws; scenario: ScenarioInfo }> {
  const port = parseWhole('--port', options.port, MAX_PORT);
  const latencyMs = parseWhole('--latency', options.latency, MAX_FAULT_LATENCY_MS);
  const instanceUpdateDelayMs = parseWhole('--update-delay', options.updateDelay, MAX_FAULT_LATENCY_MS);
  const name = options.scenario ?? DEFAULT_CLI_SCENARIO;
  if (!(SCENARIO_NAMES as readonly string[]).includes(name)) throw inputError(describeProblem('--scenario', name, SCENARIO_NAMES.join(', ')));
  const fromFile = options.faults !== undefined ? validateFaultSettings(readFaultsFile(resolve(cwd, options.faults), options.faults), `fault settings in --faults ${options.faults}`) : {};
  const faults = { ...fromFile, ...(latencyMs ? { latencyMs } : {}) };
  let local: LocalAws;
  try {
    local = await startLocalAws({ port, faults, ...(instanceUpdateDelayMs !== undefined ? { instanceUpdateDelayMs } : {}) });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw inputError(describeProblem('--port', options.port, `a free port on 127.0.0.1 (${code === 'EADDRINUSE' ? 'this one is in use' : 'not allowed for this user'}); omit --port for an ephemeral one`));
    }
    throw e;
  }
  return { local, scenario: local.loadScenario(name as ScenarioName) };
}

/** A fault settings file: YAML or JSON, a mapping of FaultSettings fields. */
function readFaultsFile(path: string, shown: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw inputError(describeProblem('--faults', shown, `a readable YAML or JSON file (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`));
  }
  try {
    return parseYaml(text) ?? {};
  } catch (e) {
    throw inputError(describeProblem('--faults', shown, `YAML or JSON (${(e as Error).message.split('\n')[0]})`));
  }
}

/** The banner: URL, env vars, and the seeded principals' fake credentials. */
export function describeRunning(local: LocalAws, scenario: ScenarioInfo): string {
  const lines = [
    `local-aws listening on ${local.url} (scenario ${scenario.name})`,
    '',
    'Point the AWS SDK and CLI at it:',
    `  export AWS_ENDPOINT_URL=${local.url}`,
    '  export AWS_REGION=us-east-1',
  ];
  const principals = [
    ...(scenario.tooling ? [{ label: `CI principal (tooling account ${scenario.tooling.accountId})`, creds: scenario.tooling, region: undefined as string | undefined }] : []),
    ...scenario.targets.map((t) => ({ label: `management account ${t.accountId} (${t.region}, ${t.instanceArn})`, creds: t.credentials, region: t.region as string | undefined })),
  ];
  for (const p of principals) {
    lines.push('', `# ${p.label}`, `  export AWS_ACCESS_KEY_ID=${p.creds.accessKeyId}`, `  export AWS_SECRET_ACCESS_KEY=${p.creds.secretAccessKey}`);
    // The instance's Region: ListInstances elsewhere finds nothing.
    if (p.region) lines.push(`  export AWS_REGION=${p.region}`);
  }
  if (principals.length === 0) {
    lines.push(
      '',
      `Scenario ${scenario.name} seeds no accounts, so every signed request is refused (UnrecognizedClientException)`,
      'until a program seeds it (startLocalAws() from local-aws/, as the tests do). To try the endpoint by hand, use --scenario example-fleet.',
    );
  }
  if (scenario.targets.length > 0) {
    lines.push('', 'Roles the tooling account may assume:', ...scenario.targets.flatMap((t) => [`  ${t.driftRoleArn}`, `  ${t.deployRoleArn}`]));
  }
  lines.push('', principals.length > 0 ? 'These are local, fake credentials; they work only against this endpoint. Stop with Ctrl-C.' : 'Stop with Ctrl-C.');
  return `${lines.join('\n')}\n`;
}

/** Runs until SIGINT/SIGTERM (or `stopSignal` resolves); returns the exit code. */
export async function runLocalAws(io: Io, options: LocalAwsCliOptions, stopSignal?: Promise<void>): Promise<number> {
  const { local, scenario } = await startFromCli(options, io.cwd);
  io.stdout.write(describeRunning(local, scenario));
  await new Promise<void>((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    void stopSignal?.then(done);
  });
  await local.stop();
  io.stderr.write('local-aws stopped\n');
  return 0;
}
