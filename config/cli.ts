/**
 * `idc-cmk config validate [FILE]`: checks a rollout file: the file itself, then (given
 * `checkConstructs`, as the CLI does: app/check-constructs.ts) every target's constructs, so a file
 * called valid is one that synthesizes. This folder stays free of cdktf (the drift detector loads it).
 * Text: one summary line per target, or every problem (via the CLI's error reporter, exit 1). JSON
 * (`--format json`): a stable document on stdout either way.
 */
import { isAbsolute, relative, resolve } from 'path';
import { ExitCode } from '../cli/exit-codes';
import type { Io } from '../cli/io';
import { IdcCmkError, describeProblem, isIdcCmkError } from '../core/errors';
import { configPathFromEnv, loadRolloutConfig } from './load';
import type { BackendSettings, ResolvedTarget, RolloutConfig } from './types';

export const VALIDATE_FORMATS = ['text', 'json'] as const;
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

export interface ValidateOptions {
  /** @default 'text' */
  readonly format?: string;
  /**
   * Builds every target's constructs without synthesizing; throws an INPUT_INVALID error listing what
   * they refuse, per target. @default - the file alone is checked
   */
  readonly checkConstructs?: (config: RolloutConfig, path: string) => void;
}

/** Version of the `--format json` document; bump on breaking changes. */
export const VALIDATE_JSON_VERSION = 1;

export async function runConfigValidate(file: string | undefined, options: ValidateOptions, io: Io): Promise<number> {
  const format = options.format ?? 'text';
  if (!(VALIDATE_FORMATS as readonly string[]).includes(format)) {
    throw new IdcCmkError('INPUT_INVALID', 'unknown output format', { details: [describeProblem('--format', format, VALIDATE_FORMATS.join(' or '))] });
  }
  const path = file !== undefined ? (isAbsolute(file) ? file : resolve(io.cwd, file)) : configPathFromEnv(io.env, io.cwd);
  const shown = displayPath(path, io.cwd);

  let config: RolloutConfig;
  try {
    config = loadRolloutConfig(path);
    options.checkConstructs?.(config, path);
  } catch (e) {
    if (format === 'json') {
      // A stable document on stdout whatever failed; anything unexpected is reported on stderr too.
      const known = isIdcCmkError(e);
      io.stdout.write(`${JSON.stringify({
        version: VALIDATE_JSON_VERSION, source: shown, valid: false,
        code: known ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e), problems: known ? e.details : [],
      }, null, 2)}\n`);
      if (known) return ExitCode.FAILURE;
    }
    throw e;
  }

  if (format === 'json') {
    const targets = config.targets.map((t) => ({
      name: t.name,
      account: t.account,
      region: t.region,
      instanceArn: t.instanceArn,
      replicaRegions: t.key.replicaRegions,
      deployRole: t.assumeRole?.roleArn ?? null,
      driftRole: t.drift.roleArn ?? null,
      encryptionSwitch: t.encryption.switch,
      state: describeBackend(t.backend),
    }));
    io.stdout.write(`${JSON.stringify({ version: VALIDATE_JSON_VERSION, source: shown, valid: true, targets }, null, 2)}\n`);
    return ExitCode.OK;
  }

  const n = config.targets.length;
  io.stdout.write(`${shown}: valid, ${n} target${n === 1 ? '' : 's'}\n`);
  const width = Math.max(...config.targets.map((t) => t.name.length));
  for (const t of config.targets) io.stdout.write(`  ${summaryLine(t, width)}\n`);
  return ExitCode.OK;
}

/** `acme-prod  111111111111 us-east-1 ssoins-...  replicas: -  role: idc-cmk-deploy  state: local terraform.acme-prod.tfstate  switch: on` */
export function summaryLine(t: ResolvedTarget, nameWidth = t.name.length): string {
  const instanceId = t.instanceArn.slice(t.instanceArn.lastIndexOf('/') + 1);
  const replicas = t.key.replicaRegions.length > 0 ? t.key.replicaRegions.join(',') : '-';
  const role = t.assumeRole ? t.assumeRole.roleArn.slice(t.assumeRole.roleArn.indexOf(':role/') + ':role/'.length) : '(ambient credentials)';
  return [
    t.name.padEnd(nameWidth),
    t.account,
    t.region,
    instanceId,
    `replicas: ${replicas}`,
    `role: ${role}`,
    `state: ${describeBackend(t.backend)}`,
    `switch: ${t.encryption.switch ? 'on' : 'off'}`,
  ].join('  ');
}

export function describeBackend(b: BackendSettings): string {
  switch (b.kind) {
    case 'local':
      return `local ${b.path}`;
    case 's3':
      return `s3://${b.bucket}/${b.key}`;
    case 'cloud':
      return b.workspace.kind === 'name'
        ? `cloud ${b.organization}/${b.workspace.name}`
        : `cloud ${b.organization} tags=${b.workspace.tags.join(',')}`;
  }
}

function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

