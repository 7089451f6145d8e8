/**
 * The `idc-cmk encryption` subcommands' implementation, loaded lazily by cli/commands/encryption.ts.
 * Flag values arrive as strings; they are checked here (every problem at once), then handed to the
 * switch. Progress lines go to stderr, the result to stdout.
 */
import { describeProblem, inputError, isIdcCmkError } from '../core/errors';
import { AwsClientFactory } from '../aws/clients';
import { ExitCode } from '../cli/exit-codes';
import type { Io } from '../cli/io';
import { parseInstanceArn } from './arns';
import { applyEncryption, describeEncryption, encryptionStatus, revertEncryption } from './switch';
import type { ApplyEncryptionOptions, EncryptionOutcome, InstanceStatusReport, InstanceTarget, RevertEncryptionOptions, WaitOptions } from './types';
import { applyOptionProblems, revertOptionProblems, targetProblems, type FieldLabels } from './validate';

/** Commander's parsed options: camelCase keys (`--poll-interval` -> `pollInterval`). */
type Flags = Record<string, string | boolean | undefined>;
type Format = 'text' | 'json';
const FORMATS: readonly Format[] = ['text', 'json'];

/** The flags behind each option field, so problems name what the user typed. */
export const FLAG_LABELS: FieldLabels = {
  instanceArn: '--instance-arn',
  region: '--region',
  roleArn: '--role-arn',
  externalId: '--external-id',
  kmsKeyArn: '--key-arn',
  timeoutSeconds: '--timeout',
  pollIntervalMs: '--poll-interval',
  orgId: '--org-id',
  managementAccountId: '--management-account',
  onlyIfKeyArn: '--only-if-key-arn',
};

export async function runApply(flags: Flags, io: Io): Promise<number> {
  const problems: string[] = [];
  const format = formatOf(flags, problems);
  return failuresAsJson(io, format, () => apply(flags, io, format, problems));
}

async function apply(flags: Flags, io: Io, format: Format, problems: string[]): Promise<number> {
  const options: ApplyEncryptionOptions = {
    ...targetOf(flags),
    kmsKeyArn: str(flags.keyArn),
    ...(flags.orgId !== undefined ? { orgId: str(flags.orgId) } : {}),
    ...(flags.managementAccount !== undefined ? { managementAccountId: str(flags.managementAccount) } : {}),
    ...waitOf(flags, problems),
  };
  const all = mergeProblems(problems, applyOptionProblems(options, FLAG_LABELS));
  if (all.length > 0) throw inputError('invalid flags for encryption apply; nothing was changed', all);
  return withClients(io, async (clients) => {
    const result = await applyEncryption(options, clients, progress(io));
    printOutcome(io, format, result);
    return ExitCode.OK;
  });
}

export async function runRevert(flags: Flags, io: Io): Promise<number> {
  const problems: string[] = [];
  const format = formatOf(flags, problems);
  return failuresAsJson(io, format, () => revert(flags, io, format, problems));
}

async function revert(flags: Flags, io: Io, format: Format, problems: string[]): Promise<number> {
  const options: RevertEncryptionOptions = {
    ...targetOf(flags),
    ...(flags.onlyIfKeyArn !== undefined ? { onlyIfKeyArn: str(flags.onlyIfKeyArn) } : {}),
    ...waitOf(flags, problems),
  };
  const all = mergeProblems(problems, revertOptionProblems(options, FLAG_LABELS));
  if (all.length > 0) throw inputError('invalid flags for encryption revert; nothing was changed', all);
  if (!options.dryRun && flags.yes !== true) await confirmRevert(io, options.instanceArn);
  return withClients(io, async (clients) => {
    const result = await revertEncryption(options, clients, progress(io));
    printOutcome(io, format, result);
    return ExitCode.OK;
  });
}

export async function runStatus(flags: Flags, io: Io): Promise<number> {
  const problems: string[] = [];
  const format = formatOf(flags, problems);
  return failuresAsJson(io, format, () => status(flags, io, format, problems));
}

async function status(flags: Flags, io: Io, format: Format, problems: string[]): Promise<number> {
  const target = targetOf(flags);
  const all = [...problems, ...targetProblems(target, FLAG_LABELS)];
  if (all.length > 0) throw inputError('invalid flags for encryption status', all);
  return withClients(io, async (clients) => {
    const report = await encryptionStatus(target, clients);
    io.stdout.write(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderStatus(report));
    return ExitCode.OK;
  });
}

/** The instance and the access every subcommand takes: --instance-arn, --region, --role-arn, --external-id. */
function targetOf(flags: Flags): InstanceTarget {
  return {
    instanceArn: str(flags.instanceArn),
    region: str(flags.region),
    ...(flags.roleArn !== undefined ? { roleArn: str(flags.roleArn) } : {}),
    ...(flags.externalId !== undefined ? { externalId: str(flags.externalId) } : {}),
  };
}

/** --timeout, --poll-interval and --dry-run of the switching subcommands; unparsable numbers go to `problems`. */
function waitOf(flags: Flags, problems: string[]): WaitOptions & { readonly dryRun: boolean } {
  return {
    timeoutSeconds: intFlag(flags, 'timeout', '--timeout', problems),
    pollIntervalMs: intFlag(flags, 'pollInterval', '--poll-interval', problems),
    dryRun: flags.dryRun === true,
  };
}

/** The flag parser's problems, then the option checks' for flags it did not already report. */
function mergeProblems(parsed: readonly string[], checked: readonly string[]): string[] {
  const reported = new Set(parsed.map((p) => p.slice(0, p.indexOf(':'))));
  return [...parsed, ...checked.filter((p) => !reported.has(p.slice(0, p.indexOf(':'))))];
}

/**
 * The revert confirmation rule: an interactive terminal must type the instance ID back; without a
 * terminal, `--yes` is required. Refusing changes nothing.
 */
async function confirmRevert(io: Io, instanceArn: string): Promise<void> {
  const expected = parseInstanceArn(instanceArn)?.instanceId ?? instanceArn;
  if (!io.stdin.isTTY) {
    throw inputError(
      `revert switches ${instanceArn} back to the AWS owned key and needs confirmation; stdin is not a terminal, so pass --yes; nothing was changed`,
      [],
      'add --yes (scripts, CI and Terraform provisioners must), or run it in a terminal to confirm interactively; --dry-run shows what it would do',
    );
  }
  io.stderr.write(`This switches ${instanceArn} back to the AWS owned key.\nType the instance ID (${expected}) to continue: `);
  const answer = (await readLine(io.stdin)).trim();
  if (answer !== expected) {
    throw inputError(`confirmation did not match: ${describeProblem('answer', answer, JSON.stringify(expected))}; nothing was changed`);
  }
}

function readLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    let buffer = '';
    const done = (): void => {
      stream.off('data', onData);
      stream.off('end', done);
      stream.pause?.();
      resolve(buffer.split('\n')[0] ?? '');
    };
    const onData = (chunk: Buffer | string): void => {
      buffer += chunk.toString();
      if (buffer.includes('\n')) done();
    };
    stream.on('data', onData);
    stream.on('end', done);
    stream.resume?.();
  });
}

async function withClients(io: Io, fn: (clients: AwsClientFactory) => Promise<number>): Promise<number> {
  const clients = new AwsClientFactory({ env: io.env });
  try {
    return await fn(clients);
  } finally {
    clients.destroy();
  }
}

/**
 * JSON consumers get every failure on stdout too, bad flags included (a refusal lists its failed
 * checks as `id: message`); the error is still reported on stderr and sets the exit code.
 */
async function failuresAsJson(io: Io, format: Format, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (e) {
    if (format === 'json' && isIdcCmkError(e)) {
      io.stdout.write(`${JSON.stringify({ ok: false, error: { code: e.code, message: e.message, details: e.details, ...(e.hint ? { hint: e.hint } : {}) } }, null, 2)}\n`);
    }
    throw e;
  }
}

function progress(io: Io): (line: string) => void {
  return (line) => {
    io.stderr.write(`${line}\n`);
  };
}

function printOutcome(io: Io, format: Format, r: EncryptionOutcome): void {
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  const seconds = (r.elapsedMs / 1000).toFixed(1);
  switch (r.action) {
    case 'updated':
      io.stdout.write(`updated: ${r.instanceArn} now uses ${describeEncryption(r.after)} (was ${describeEncryption(r.before)}; ${seconds}s)\n`);
      break;
    case 'unchanged':
      io.stdout.write(`unchanged: ${r.instanceArn} already uses ${describeEncryption(r.after)}\n`);
      break;
    case 'skipped':
      io.stdout.write(`skipped: ${r.note ?? ''}\n`);
      break;
    case 'would-update':
      io.stdout.write(`dry run: pre-flight passed; ${r.instanceArn} uses ${describeEncryption(r.before)} and would be switched\n`);
      break;
  }
}

function renderStatus(r: InstanceStatusReport): string {
  const rows: [string, string | undefined][] = [
    ['instance', r.instanceArn],
    ['region', r.region],
    ['name', r.name],
    ['owner account', r.ownerAccountId],
    ['identity store', r.identityStoreId],
    ['instance status', r.status && `${r.status}${r.statusReason ? ` (${r.statusReason})` : ''}`],
    ['key type', r.keyType],
    ['kms key arn', r.kmsKeyArn],
    ['encryption status', r.encryptionStatus],
    ['reason', r.encryptionStatusReason],
  ];
  return rows.map(([k, v]) => `${k.padEnd(18)}${v ?? '-'}\n`).join('');
}

function formatOf(flags: Flags, problems: string[]): Format {
  const v = flags.format ?? 'text';
  if (typeof v === 'string' && (FORMATS as readonly string[]).includes(v)) return v as Format;
  problems.push(describeProblem('--format', v, FORMATS.join(' or ')));
  return 'text';
}

function intFlag(flags: Flags, key: string, flag: string, problems: string[]): number {
  const v = flags[key];
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (Number.isNaN(n)) problems.push(describeProblem(flag, v, 'a whole number'));
  return n;
}

function str(v: string | boolean | undefined): string {
  return typeof v === 'string' ? v : '';
}
