/**
 * The drift pipeline: read state -> select and shard -> read live (concurrently, bounded, with a
 * per-target time limit) -> compare -> report. One failing target never hides the others: each one
 * ends as a TargetResult (in_sync, drifted, or unknown with the reason).
 *
 * Never loads cdktf or the provider bindings: the config loader and the SDK clients only.
 */
import { existsSync, readFileSync } from 'fs';
import { resolve as resolvePath } from 'path';
import { assertEndpointVariables, AwsClientFactory, type AwsClientFactoryOptions, type TargetAccess } from '../aws/clients';
import { IdcCmkError } from '../core/errors';
import type { Io } from '../cli/io';
import type { ResolvedTarget, RolloutConfig } from '../config/types';
import type { DriftReport, ExpectedTarget, TargetResult } from './model';
import { type CheckJob, failedResult, messageOf } from './pipeline/check-target';
import { runChecks } from './pipeline/run-checks';
import { Shard, inShard } from './pipeline/shard';
import { selectTargets } from './pipeline/select';
import { startProgress } from './pipeline/progress';
import { StateEntry, defaultStateFiles, entriesFromBackends, entriesFromPaths, entriesFromS3, entryFromStdin } from './pipeline/sources';
import { IgnoreRules, NO_IGNORE_RULES, buildReport, parseIgnoreFile } from './pipeline/stages';

/** Default bound on targets checked at once: ~6 reads each, far below KMS read quotas (500-2,000 rps). */
export const DEFAULT_CONCURRENCY = 32;
/** Default per-target time limit, seconds: long enough for adaptive retry through moderate throttling. */
export const DEFAULT_TIMEOUT_SECONDS = 60;
export const DEFAULT_STATE_GLOB = 'terraform.*.tfstate';
/**
 * Sockets per host for each target in flight: a target's first round is up to 6 concurrent calls to
 * its Region's KMS endpoint (one host for every account), plus room for retries. Fewer sockets than
 * calls in flight queues calls behind each other and doubles the run time at a fleet's scale.
 */
export const SOCKETS_PER_TARGET = 8;

export interface DriftOptions {
  /** Rollout file. @default - `$IDC_CMK_CONFIG` or `idc-cmk.yaml` in the cwd, when present */
  readonly config?: string;
  /** State files or folders; `-` reads `terraform state pull` output from stdin. @default - terraform.*.tfstate in the cwd */
  readonly state?: readonly string[];
  /** `s3://bucket/prefix`: every state object below the prefix. */
  readonly stateS3?: string;
  readonly workspace?: string;
  /** Target names or globs. @default - every target */
  readonly targets?: readonly string[];
  readonly ignoreFile?: string;
  /** @default DEFAULT_CONCURRENCY */
  readonly concurrency?: number;
  /** Per-target time limit in seconds. @default DEFAULT_TIMEOUT_SECONDS */
  readonly timeoutSeconds?: number;
  readonly shard?: Shard;
  /** Role to assume in each target's account when the config names none: `arn:<partition>:iam::<account>:role/<roleName>`. */
  readonly roleName?: string;
  /** Show a progress bar (only drawn when stderr is a terminal). */
  readonly progress?: boolean;
  /**
   * Worker threads for the live reads: 0 reads in the main thread; `auto` uses one per core (at most
   * 4) when the fleet is large enough to pay for them (250 targets per worker).
   * @default 'auto'
   */
  readonly workers?: number | 'auto';
  /** For tests and embedding: the client factory to use, in the main thread (else each thread makes one from io.env and closes it at the end). */
  readonly clientFactory?: AwsClientFactory;
  readonly toolVersion?: string;
}

export async function runDrift(options: DriftOptions, io: Io): Promise<DriftReport> {
  // A malformed endpoint variable is a usage error up front, not a failure in every thread or read.
  assertEndpointVariables(io.env);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const timeoutMs = (options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  const config = loadConfig(options, io);
  const ignore = mergeIgnoreRules(loadIgnoreFile(options.ignoreFile, io), config);
  const configTargets = new Map((config?.targets ?? []).map((t) => [t.name, t]));

  const fromBackends = config !== undefined && (options.state ?? []).length === 0 && !options.stateS3;
  if (options.workspace && !options.stateS3 && !(fromBackends && config.targets.some((t) => t.backend.kind === 's3'))) {
    throw new IdcCmkError('INPUT_INVALID', `--workspace ${JSON.stringify(options.workspace)} needs S3 states: --state-s3, or a rollout file with S3 backends (and no --state)`, {
      hint: 'workspaces select S3 backend objects (env:/<workspace>/<key>)',
    });
  }
  const factoryOptions: AwsClientFactoryOptions = { ...factoryOptionsFromEnv(io.env), maxSockets: Math.max(1, concurrency) * SOCKETS_PER_TARGET };
  // The main thread's own clients: only for state in S3 (the checks make their own, per thread).
  let stateFactory: AwsClientFactory | undefined;
  const factoryForState = (): AwsClientFactory => (stateFactory ??= options.clientFactory ?? new AwsClientFactory(factoryOptions));
  try {
    // 1. Expected targets from every state source.
    const entries = await collectEntries(options, io, factoryForState, config);

    // 2. Names: every state, plus config targets that have no state (they cannot be checked: unknown).
    const byName = new Map<string, StateEntry>();
    /** Every distinct source that described each name (the same file reached twice counts once). */
    const sourcesOf = new Map<string, string[]>();
    const results: TargetResult[] = [];
    for (const entry of entries) {
      if (!entry.ok && entry.scope === 'source') {
        // A folder or bucket that cannot be read: every shard says so (its targets are unknown to all).
        results.push(failedResult(entry.source, entry.source, { code: entry.error.code, operation: 'read-state', message: messageOf(entry.error) }));
        continue;
      }
      const sources = sourcesOf.get(entry.name) ?? [];
      if (sources.includes(entry.source)) continue;
      sourcesOf.set(entry.name, [...sources, entry.source]);
      if (sources.length === 0) byName.set(entry.name, entry);
    }
    for (const [name, sources] of sourcesOf) {
      if (sources.length < 2) continue;
      // Which of two states is current cannot be told: the target is unknown, reported once under its name.
      byName.set(name, {
        ok: false, name, source: sources.join(' and '),
        error: new IdcCmkError('INPUT_INVALID', `${sources.length} states describe target ${name}: ${sources.join(', ')}; it was not checked, since which one is current cannot be told`, {
          hint: 'pass the one state source that holds the current state (e.g. a narrower --state-s3 prefix)',
        }),
      });
    }
    // Every target of the rollout file is checked or said to be unknown, whatever the state sources;
    // only stdin, which carries one state by design, does not speak for the others.
    const stdinOnly = (options.state ?? []).length > 0 && (options.state ?? []).every((p) => p === '-') && !options.stateS3;
    const stateless = config && !stdinOnly ? config.targets.filter((t) => !byName.has(t.name)).map((t) => t.name) : [];
    const names = [...byName.keys(), ...stateless];

    // 3. Selection and shard.
    const { selected, unmatched } = selectTargets(names, (n) => n, options.targets ?? []);
    for (const pattern of unmatched) {
      // Every shard says so: a mistyped --target must not leave most shards green.
      results.push(failedResult(pattern, undefined, {
        code: 'TARGET_UNKNOWN', operation: 'select-target',
        message: `no target named ${JSON.stringify(pattern)} in the state sources${config ? ` or ${config.source}` : ''}; known: ${names.slice(0, 20).join(', ') || '(none)'}`,
      }));
    }
    const mine = selected.filter((n) => inShard(n, options.shard));
    const jobs: CheckJob[] = [];
    for (const name of mine) {
      const entry = byName.get(name);
      const cfg = configTargets.get(name);
      if (!entry) {
        results.push(failedResult(name, undefined, {
          code: 'STATE_NOT_FOUND', operation: 'read-state',
          message: `no state found for target ${name} (listed in ${config?.source}) in ${describeSources(options)}; pass the state source that has it, or --target to check fewer targets`,
        }));
      } else if (!entry.ok) {
        results.push(failedResult(name, entry.source, { code: entry.error.code, operation: 'read-state', message: messageOf(entry.error) }));
      } else if (cfg && cfg.account !== entry.expected.account) {
        results.push(failedResult(name, entry.source, {
          code: 'CONFIG_INVALID', operation: 'join-config',
          message: `state ${entry.source} is for account ${entry.expected.account} but ${config?.source} says target ${name} is in ${cfg.account}`,
        }, entry.expected));
      } else {
        jobs.push({ expected: entry.expected, access: accessFor(entry.expected, cfg, options.roleName), ...(cfg?.organizationId ? { orgId: cfg.organizationId } : {}) });
      }
    }

    // 4. Live reads and comparison, bounded; spread over worker threads for large fleets.
    const progress = startProgress(io.stderr, jobs.length, options.progress === true);
    const checked = await runChecks(jobs, {
      concurrency,
      workers: options.workers ?? 'auto',
      settings: { ignore, timeoutMs },
      factoryOptions,
      ...(options.clientFactory ? { factory: options.clientFactory } : {}),
      onResult: (r) => progress.tick(r.target),
    });
    progress.stop();
    results.push(...checked);

    return buildReport(results, { version: options.toolVersion ?? '0.0.0' });
  } finally {
    if (!options.clientFactory) stateFactory?.destroy();
  }
}

/**
 * The role a target's reads use: the rollout file's drift role, else --role-name in the target's
 * account (a read-only role named on the command line wins over the write-capable deploy role), else
 * the deploy role, else the caller's own credentials.
 */
export function accessFor(expected: ExpectedTarget, cfg: ResolvedTarget | undefined, roleName?: string): TargetAccess {
  if (cfg?.drift.roleArn) {
    return { region: expected.region, roleArn: cfg.drift.roleArn, externalId: cfg.drift.externalId, sessionName: cfg.drift.sessionName };
  }
  if (roleName) {
    const partition = /^arn:([^:]+):/.exec(expected.key.arn)?.[1] ?? 'aws';
    return { region: expected.region, roleArn: `arn:${partition}:iam::${expected.account}:role/${roleName}`, sessionName: cfg?.drift.sessionName ?? 'idc-cmk-drift' };
  }
  if (cfg?.assumeRole) {
    return { region: expected.region, roleArn: cfg.assumeRole.roleArn, externalId: cfg.assumeRole.externalId, sessionName: cfg.drift.sessionName };
  }
  return { region: expected.region };
}

async function collectEntries(options: DriftOptions, io: Io, factory: () => AwsClientFactory, config: RolloutConfig | undefined): Promise<StateEntry[]> {
  const entries: StateEntry[] = [];
  const state = options.state ?? [];
  const paths = state.filter((p) => p !== '-');
  if (state.includes('-')) {
    const names = options.targets ?? [];
    if (names.length > 1 || names.some((n) => /[*?]/.test(n))) {
      throw new IdcCmkError('INPUT_INVALID', `--state - reads one state; got --target ${names.join(', --target ')}`, {
        hint: 'pass at most one --target NAME (no glob) with --state -, e.g. `terraform state pull | idc-cmk drift --state - --target prod`',
      });
    }
    entries.push(await entryFromStdin(io.stdin, names[0]));
  }
  if (paths.length > 0) entries.push(...(await entriesFromPaths(paths, io.cwd)));
  if (options.stateS3) {
    const region = io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION || config?.targets[0]?.region || 'us-east-1';
    entries.push(...(await entriesFromS3(factory().s3({ region }), options.stateS3, options.workspace)));
  }
  if (state.length === 0 && !options.stateS3 && config) {
    // Where the rollout file keeps each target's state (local file, S3 object, or HCP Terraform).
    const s3For = (region: string, roleArn: string | undefined) => factory().s3({ region, ...(roleArn ? { roleArn, sessionName: 'idc-cmk-drift-state' } : {}) });
    // Only the states this run checks: the selected targets of this shard.
    const { selected } = selectTargets(config.targets.map((t) => t.name), (n) => n, options.targets ?? []);
    const wanted = new Set(selected.filter((n) => inShard(n, options.shard)));
    entries.push(...(await entriesFromBackends(config.targets.filter((t) => wanted.has(t.name)), io.cwd, s3For, options.workspace)));
  } else if (state.length === 0 && !options.stateS3) {
    const files = await defaultStateFiles(io.cwd);
    if (files.length === 0 && !config) {
      throw new IdcCmkError('STATE_NOT_FOUND', `no ${DEFAULT_STATE_GLOB} files in ${io.cwd}`, {
        hint: 'run in the cdktf project directory, or pass --state FILE|FOLDER, --state-s3 s3://bucket/prefix, or --state - (terraform state pull output)',
      });
    }
    entries.push(...(await entriesFromPaths(files, io.cwd)));
  }
  return entries;
}

function loadConfig(options: DriftOptions, io: Io): RolloutConfig | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadRolloutConfig, configPathFromEnv } = require('../config/load') as typeof import('../config/load');
  if (options.config) return loadRolloutConfig(resolvePath(io.cwd, options.config));
  const path = configPathFromEnv(io.env, io.cwd);
  if (io.env.IDC_CMK_CONFIG) return loadRolloutConfig(path);
  return existsSync(path) ? loadRolloutConfig(path) : undefined;
}

function loadIgnoreFile(path: string | undefined, io: Io): IgnoreRules {
  if (!path) return NO_IGNORE_RULES;
  const full = resolvePath(io.cwd, path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new IdcCmkError('INPUT_INVALID', `cannot read --ignore-file ${path}${code ? ` (${code})` : ''}`, { cause: e });
  }
  return parseIgnoreFile(text, path);
}

/** The rollout file's per-target `drift.ignore` as ignore rules, after the ignore file's. */
function mergeIgnoreRules(fromFile: IgnoreRules, config: RolloutConfig | undefined): IgnoreRules {
  const rules = [...fromFile.rules];
  for (const t of config?.targets ?? []) {
    const { codes, attributes, tags } = t.drift.ignore;
    if (codes.length > 0) rules.push({ targets: [t.name], codes: [...codes], attributes: [], reason: `${config?.source}: drift.ignore.codes` });
    const attrs = [...attributes, ...tags.map((k) => `tags.${k}`)];
    if (attrs.length > 0) rules.push({ targets: [t.name], codes: [], attributes: attrs, reason: `${config?.source}: drift.ignore` });
  }
  return { source: fromFile.source, rules };
}

function factoryOptionsFromEnv(env: NodeJS.ProcessEnv): AwsClientFactoryOptions {
  const attempts = Number(env.AWS_MAX_ATTEMPTS);
  const mode = env.AWS_RETRY_MODE;
  return {
    env,
    ...(Number.isInteger(attempts) && attempts >= 1 ? { maxAttempts: attempts } : {}),
    ...(mode === 'standard' || mode === 'adaptive' ? { retryMode: mode } : {}),
  };
}

/** The state sources a run was given, for messages: `--state a, b`, `--state-s3 s3://...`. */
function describeSources(options: DriftOptions): string {
  const parts: string[] = [];
  if ((options.state ?? []).length > 0) parts.push(`--state ${(options.state ?? []).join(', ')}`);
  if (options.stateS3) parts.push(`--state-s3 ${options.stateS3}`);
  return parts.length > 0 ? parts.join(' and ') : 'its backend';
}
