/**
 * Merging `defaults` into each target and the cross-field rules that need the merged values.
 *
 * Merge rules (documented in the README's config reference):
 * - a value a target sets wins over the default;
 * - mappings (`tags`, `encryption`, `assumeRole`, `drift`, `drift.ignore`) merge key by key;
 * - lists replace (a target's `aliases` replace the default aliases);
 * - `backend` replaces as a whole (a target cannot mix backend kinds).
 * `{account}` and `{partition}` in ARNs are replaced with the target's values.
 */
import { posix } from 'path';
import { describeProblem } from '../core/errors';
import { isFindingCode } from '../drift/findings';
import {
  ACCOUNT_PLACEHOLDER,
  ENCRYPTION_TIMEOUT_DEFAULT_SECONDS,
  ORGANIZATION_ID,
  PARTITION_PLACEHOLDER,
  REGION,
  S3_DEFAULT_KEY_PREFIX,
  accountOfArn,
  partitionOfArn,
  partitionOfRegion,
} from './constants';
import type { RolloutFile, Settings, TargetEntry } from './schema';
import type { BackendSettings, KeySettings, Partition, ResolvedTarget } from './types';

/** Keys whose values replace the default wholesale instead of merging key by key. */
const REPLACED_WHOLE: ReadonlySet<string> = new Set(['backend']);

/** Role assumed in delegated-admin accounts when `delegatedAdminAccess.deployRoleName` is unset. */
export const DEFAULT_DEPLOY_ROLE_NAME = 'idc-cmk-deploy';

/** The result of resolving: the targets, or every problem found (never both partially). */
export type ResolveResult = { readonly ok: true; readonly targets: readonly ResolvedTarget[] } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Merges defaults into every target, replaces placeholders and checks the rules that span fields or
 * targets. Problems name the field where the offending value was written (`targets[1].x` or `defaults.x`).
 * `indexes` gives each entry's position in the file when `file.targets` is a subset of it.
 */
export function resolveTargets(file: RolloutFile, indexes?: readonly number[]): ResolveResult {
  const defaults: Settings = file.defaults ?? {};
  const problems: string[] = [];
  const targets: ResolvedTarget[] = [];
  /** State location -> the first target that keeps its state there. */
  const states = new Map<string, { readonly index: number; readonly name: string }>();
  const indexOf = (i: number): number => indexes?.[i] ?? i;
  file.targets.forEach((entry, i) => {
    const index = indexOf(i);
    const merged = mergeSettings(defaults, entry);
    const where = locator(index, entry, defaults);
    const resolved = resolveOne(merged, where, problems);
    if (!resolved) return;
    targets.push(resolved);
    const location = stateLocation(resolved.backend);
    const first = location === undefined ? undefined : states.get(location);
    if (location === undefined) return;
    if (first === undefined) states.set(location, { index, name: resolved.name });
    else if (first.name !== resolved.name) {
      // Two stacks on one state: the second apply would plan to destroy the first target's key.
      problems.push(describeProblem(where('backend'), location, `a state no other target uses (targets[${first.index}] (${first.name}) keeps its state there)`));
    }
  });
  checkAcrossTargets(file.targets, indexOf, problems);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, targets };
}

/** Deep-merges two settings mappings: mappings merge, lists and scalars replace. */
export function mergeSettings<T extends object>(defaults: Settings, target: T): T & Settings {
  return mergeObjects(defaults as Record<string, unknown>, target as Record<string, unknown>, '') as T & Settings;
}

function mergeObjects(base: Record<string, unknown>, over: Record<string, unknown>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const current = out[key];
    out[key] = isPlainObject(value) && isPlainObject(current) && !REPLACED_WHOLE.has(path) ? mergeObjects(current, value, path) : value;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Names the place a merged field came from: the target if it set it, else `defaults`. */
type Locator = (field: string) => string;

function locator(index: number, entry: TargetEntry, defaults: Settings): Locator {
  return (field: string) =>
    !hasPath(entry, field) && hasPath(defaults, field) ? `defaults.${field} (target "${entry.name}")` : `targets[${index}].${field}`;
}

function hasPath(obj: unknown, path: string): boolean {
  let cur: unknown = obj;
  for (const part of path.replace(/\[(\d+)\]/g, '.$1').split('.')) {
    if (!isPlainObject(cur) && !Array.isArray(cur)) return false;
    cur = (cur as Record<string, unknown>)[part];
    if (cur === undefined) return false;
  }
  return true;
}

function expand(value: string, account: string, partition: Partition): string {
  return value.split(ACCOUNT_PLACEHOLDER).join(account).split(PARTITION_PLACEHOLDER).join(partition);
}

/**
 * Whether a Terraform version constraint admits no version below `floor` (or at it, unless inclusive):
 * some clause (`>= x`, `> x`, `~> x`, `= x` or a bare `x`) must set a lower bound at or above the floor.
 */
export function excludesBelow(constraint: string, floor: readonly number[], inclusive: boolean): boolean {
  const cmp = (a: readonly number[], b: readonly number[]): number => {
    for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
    return 0;
  };
  return constraint.split(',').some((clause) => {
    const m = /^\s*(=|!=|>|>=|<|<=|~>)?\s*(\d+(?:\.\d+){0,2})/.exec(clause);
    if (!m) return false;
    const op = m[1] ?? '=';
    const v = m[2]!.split('.').map(Number);
    if (op === '<' || op === '<=' || op === '!=') return false;
    const c = cmp(v, floor);
    if (op === '>') return c >= 0;
    return inclusive ? c >= 0 : c > 0;
  });
}

/**
 * Whether some version satisfies every clause of a Terraform version constraint, judged by its bounds:
 * `>=`, `>`, `=`/bare and `~>` raise the floor; `<`, `<=`, `=`/bare and `~>` (the next minor or major)
 * lower the ceiling. `!=` and prerelease suffixes are not judged (they rarely empty a range).
 */
export function admitsSomeVersion(constraint: string): boolean {
  type Bound = { readonly v: readonly number[]; readonly inclusive: boolean };
  const cmp = (a: readonly number[], b: readonly number[]): number => {
    for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
    return 0;
  };
  let floor: Bound | undefined;
  let ceiling: Bound | undefined;
  const raise = (b: Bound): void => {
    const c = floor ? cmp(b.v, floor.v) : 1;
    if (!floor || c > 0 || (c === 0 && !b.inclusive)) floor = b;
  };
  const lower = (b: Bound): void => {
    const c = ceiling ? cmp(b.v, ceiling.v) : -1;
    if (!ceiling || c < 0 || (c === 0 && !b.inclusive)) ceiling = b;
  };
  for (const clause of constraint.split(',')) {
    const m = /^\s*(=|!=|>|>=|<|<=|~>)?\s*(\d+(?:\.\d+){0,2})\s*$/.exec(clause);
    if (!m) continue;
    const op = m[1] ?? '=';
    const parts = m[2]!.split('.').map(Number);
    const v = [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
    if (op === '>=' || op === '=') raise({ v, inclusive: true });
    if (op === '>') raise({ v, inclusive: false });
    if (op === '<=' || op === '=') lower({ v, inclusive: true });
    if (op === '<') lower({ v, inclusive: false });
    if (op === '~>') {
      raise({ v, inclusive: true });
      // ~> 6.25.0 allows < 6.26.0; ~> 6.25 allows < 7.0.0.
      lower({ v: parts.length >= 3 ? [v[0]!, v[1]! + 1, 0] : [v[0]! + 1, 0, 0], inclusive: false });
    }
  }
  if (!floor || !ceiling) return true;
  const c = cmp(floor.v, ceiling.v);
  return c < 0 || (c === 0 && floor.inclusive && ceiling.inclusive);
}

/** {@link expand} in every string of a JSON-like value (keys included: condition keys may hold ARNs). */
function expandDeep<T>(value: T, account: string, partition: Partition): T {
  if (typeof value === 'string') return expand(value, account, partition) as T;
  if (Array.isArray(value)) return value.map((v) => expandDeep(v, account, partition)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [expand(k, account, partition), expandDeep(v, account, partition)])) as T;
  }
  return value;
}

function resolveOne(m: TargetEntry & Settings, where: Locator, problems: string[]): ResolvedTarget | undefined {
  const before = problems.length;
  if (m.region === undefined) {
    problems.push(describeProblem(where('region'), undefined, `${REGION.allowed}, on the target or in defaults.region`));
    return undefined;
  }
  const region = m.region;
  const partition = partitionOfRegion(region);
  const arnPartition = partitionOfArn(m.instanceArn);
  if (arnPartition !== partition) {
    problems.push(describeProblem(where('instanceArn'), m.instanceArn, `an instance ARN in partition ${partition}, the partition of Region ${region}`));
  }
  const x = (v: string) => expand(v, m.account, partition);
  const xs = (v: readonly string[] | undefined) => v?.map(x);

  // Principals and roles: same partition as the target; roles in the target account.
  const checkArns = (field: string, arns: readonly string[] | undefined, sameAccount: boolean) => {
    arns?.forEach((arn, i) => {
      const f = `${field}[${i}]`;
      if (partitionOfArn(arn) !== partition) problems.push(describeProblem(where(f), arn, `an ARN in partition ${partition}`));
      else if (sameAccount && accountOfArn(arn) !== m.account) problems.push(describeProblem(where(f), arn, `a role in the target account ${m.account}`));
    });
  };
  const checkRole = (field: string, arn: string | undefined) => {
    if (arn === undefined) return;
    if (partitionOfArn(arn) !== partition) problems.push(describeProblem(where(field), arn, `a role ARN in partition ${partition}`));
    else if (accountOfArn(arn) !== m.account) problems.push(describeProblem(where(field), arn, `a role in the target account ${m.account} (the provider only deploys there)`));
  };

  const assumeRoleArn = m.assumeRole ? x(m.assumeRole.roleArn) : undefined;
  checkRole('assumeRole.roleArn', assumeRoleArn);
  const driftRoleArn = m.drift?.roleArn !== undefined ? x(m.drift.roleArn) : undefined;
  (m.drift?.ignore?.codes ?? []).forEach((code, j) => {
    // A misspelt code would silently ignore nothing.
    if (!isFindingCode(code)) problems.push(describeProblem(where(`drift.ignore.codes[${j}]`), code, 'a finding code from docs/drift.md, such as TAG_UNEXPECTED'));
  });
  if (driftRoleArn !== undefined && partitionOfArn(driftRoleArn) !== partition) {
    problems.push(describeProblem(where('drift.roleArn'), driftRoleArn, `a role ARN in partition ${partition}`));
  } else if (driftRoleArn !== undefined && accountOfArn(driftRoleArn) !== m.account) {
    problems.push(describeProblem(where('drift.roleArn'), driftRoleArn, `a role in the target account ${m.account} (GetKeyPolicy only works there)`));
  }

  const administrators = xs(m.administrators);
  const identityCenterAdministrators = xs(m.identityCenterAdministrators);
  const auditors = xs(m.auditors) ?? [];
  checkArns('administrators', administrators, false);
  checkArns('identityCenterAdministrators', identityCenterAdministrators, false);
  checkArns('auditors', auditors, false);

  const replicaRegions = m.replicaRegions ?? [];
  replicaRegions.forEach((r, i) => {
    const f = `replicaRegions[${i}]`;
    if (r === region) problems.push(describeProblem(where(f), r, `a Region other than the primary Region ${region}`));
    else if (replicaRegions.indexOf(r) !== i) problems.push(describeProblem(where(f), r, 'each Region once'));
    else if (partitionOfRegion(r) !== partition) problems.push(describeProblem(where(f), r, `a Region in partition ${partition}`));
  });
  if (m.multiRegion === false && replicaRegions.length > 0) {
    problems.push(describeProblem(where('multiRegion'), false, `true (or unset): replicaRegions ${JSON.stringify(replicaRegions)} need a multi-Region key`));
  }

  const delegatedAdminAccounts = m.delegatedAdminAccounts ?? [];
  if (m.delegatedAdminAccess?.enabled === true && delegatedAdminAccounts.length === 0) {
    problems.push(describeProblem(where('delegatedAdminAccess.enabled'), true, 'false unless delegatedAdminAccounts lists at least one account'));
  }
  delegatedAdminAccounts.forEach((a, i) => {
    const f = `delegatedAdminAccounts[${i}]`;
    if (a === m.account) problems.push(describeProblem(where(f), a, `an account other than the management account ${m.account}`));
    else if (delegatedAdminAccounts.indexOf(a) !== i) problems.push(describeProblem(where(f), a, 'each account once'));
  });

  for (const flag of ['managedApplications', 'organizationPrincipals'] as const) {
    if (m[flag] === true && m.organizationId === undefined) {
      problems.push(describeProblem(where('organizationId'), undefined, `${ORGANIZATION_ID.allowed}: required when ${flag} is true`));
    }
  }

  const aliases = m.aliases;
  aliases?.forEach((a, i) => {
    const full = a.startsWith('alias/') ? a : `alias/${a}`;
    if (aliases.findIndex((b) => (b.startsWith('alias/') ? b : `alias/${b}`) === full) !== i) {
      problems.push(describeProblem(where(`aliases[${i}]`), a, 'each alias once (alias/ is added when missing)'));
    }
  });

  const backend = resolveBackend(m, region, where, problems);
  if (m.encryption?.switch === false && m.encryption.revertOnDestroy === true) {
    problems.push(describeProblem(where('encryption.revertOnDestroy'), true, 'false or unset when encryption.switch is false (there is no switch to revert)'));
  }
  const native = (m.encryption?.mode ?? 'cli') === 'native' && (m.encryption?.switch ?? true);
  const providerVersion = m.encryption?.providerVersion;
  if (native && providerVersion === undefined) {
    problems.push(describeProblem(where('encryption.providerVersion'), undefined,
      'a hashicorp/aws version constraint naming a provider that has aws_ssoadmin_instance with encryption_configuration (mode native; the prebuilt bindings pin 6.25.0, which does not, so Terraform could not plan)'));
  } else if (providerVersion !== undefined) {
    // The bindings need provider 6 (per-resource region); native mode needs a provider newer than 6.25.0.
    const floor = native ? { version: [6, 25, 0], inclusive: false } : { version: [6, 0, 0], inclusive: true };
    if (!excludesBelow(providerVersion, floor.version, floor.inclusive)) {
      problems.push(describeProblem(where('encryption.providerVersion'), providerVersion,
        native
          ? 'a constraint that excludes 6.25.0 and older, e.g. ">= 6.30.0" (those providers lack aws_ssoadmin_instance encryption_configuration)'
          : 'a constraint that excludes providers before 6.0.0 (the bindings use provider 6 arguments), e.g. "~> 6.25"'));
    } else if (!admitsSomeVersion(providerVersion)) {
      problems.push(describeProblem(where('encryption.providerVersion'), providerVersion, 'a constraint some provider version satisfies (its lower bound is above its upper bound, so terraform init would fail)'));
    }
  }
    if (problems.length > before || backend === undefined) return undefined;

  const key: KeySettings = {
    description: m.description,
    multiRegion: m.multiRegion,
    replicaRegions,
    rotation: m.rotation,
    rotationPeriodInDays: m.rotationPeriodInDays,
    deletionWindowInDays: m.deletionWindowInDays,
    preventDestroy: m.preventDestroy,
    tags: m.tags ?? {},
    aliases,
    administrators,
    delegatedAdminAccounts,
    identityCenterAdministrators,
    allowDelegatedAdminFullAccess: m.allowDelegatedAdminFullAccess,
    managedApplications: m.managedApplications,
    organizationPrincipals: m.organizationPrincipals,
    auditors,
    // {account} and {partition} are replaced in every string of the statements, as in the other ARNs.
    extraStatements: (m.extraStatements ?? []).map((st) => expandDeep(st, m.account, partition)),
  };
  return {
    name: m.name,
    account: m.account,
    region,
    partition,
    instanceArn: m.instanceArn,
    identityStoreId: m.identityStoreId,
    organizationId: m.organizationId,
    assumeRole: m.assumeRole && assumeRoleArn
      ? { roleArn: assumeRoleArn, externalId: m.assumeRole.externalId, sessionName: m.assumeRole.sessionName ?? `idc-cmk-${m.name}`.slice(0, 64) }
      : undefined,
    key,
    encryption: {
      switch: m.encryption?.switch ?? true,
      revertOnDestroy: m.encryption?.revertOnDestroy ?? false,
      timeoutSeconds: m.encryption?.timeoutSeconds ?? ENCRYPTION_TIMEOUT_DEFAULT_SECONDS,
      mode: m.encryption?.mode ?? 'cli',
      ...(m.encryption?.providerVersion !== undefined ? { providerVersion: m.encryption.providerVersion } : {}),
    },
    tamperAlarms: {
      enabled: m.tamperAlarms?.enabled ?? false,
      subscriptions: m.tamperAlarms?.subscriptions ?? [],
      existingTopicArn: m.tamperAlarms?.existingTopicArn,
      topicKmsKeyArn: m.tamperAlarms?.topicKmsKeyArn,
      replicaTopics: m.tamperAlarms?.replicaTopics ?? {},
    },
    delegatedAdminAccess: {
      enabled: m.delegatedAdminAccess?.enabled ?? false,
      deployRoleArns: Object.fromEntries(
        delegatedAdminAccounts.map((a) => [a, `arn:${partition}:iam::${a}:role/${m.delegatedAdminAccess?.deployRoleName ?? DEFAULT_DEPLOY_ROLE_NAME}`]),
      ),
      roleNames: m.delegatedAdminAccess?.roleNames ?? [],
    },
    backend,
    drift: {
      roleArn: driftRoleArn,
      externalId: m.drift?.externalId,
      sessionName: m.drift?.sessionName ?? `idc-cmk-drift-${m.name}`.slice(0, 64),
      ignore: { codes: m.drift?.ignore?.codes ?? [], tags: m.drift?.ignore?.tags ?? [], attributes: m.drift?.ignore?.attributes ?? [] },
    },
  };
}

const BACKEND_KINDS = ['local', 's3', 'cloud'] as const;

function resolveBackend(m: TargetEntry & Settings, region: string, where: Locator, problems: string[]): BackendSettings | undefined {
  const b = m.backend ?? {};
  const kinds = BACKEND_KINDS.filter((k) => b[k] !== undefined);
  if (kinds.length > 1) {
    problems.push(describeProblem(where('backend'), Object.keys(b), `exactly one of ${BACKEND_KINDS.join(', ')}`));
    return undefined;
  }
  if (b.s3) {
    const s3 = b.s3;
    if (s3.dynamodbTable !== undefined && s3.useLockfile === true) {
      problems.push(describeProblem(where('backend.s3.useLockfile'), true, 'false or unset when dynamodbTable is set (choose one locking method)'));
      return undefined;
    }
    return {
      kind: 's3',
      bucket: s3.bucket,
      key: `${s3.keyPrefix ?? S3_DEFAULT_KEY_PREFIX}/${m.name}.tfstate`,
      region: s3.region ?? region,
      roleArn: s3.roleArn !== undefined ? expand(s3.roleArn, m.account, partitionOfRegion(region)) : undefined,
      dynamodbTable: s3.dynamodbTable,
      useLockfile: s3.useLockfile ?? s3.dynamodbTable === undefined,
      encrypt: s3.encrypt ?? true,
    };
  }
  if (b.cloud) {
    const c = b.cloud;
    if ((c.workspacePrefix === undefined) === (c.tags === undefined)) {
      problems.push(describeProblem(where('backend.cloud'), { workspacePrefix: c.workspacePrefix, tags: c.tags }, 'exactly one of workspacePrefix or tags'));
      return undefined;
    }
    return {
      kind: 'cloud',
      organization: c.organization,
      hostname: c.hostname,
      project: c.project,
      workspace: c.workspacePrefix !== undefined
        ? { kind: 'name', name: `${c.workspacePrefix}${m.name}` }
        : { kind: 'tags', tags: [...(c.tags ?? []), m.name] },
    };
  }
  const directory = b.local?.directory;
  const file = `terraform.${m.name}.tfstate`;
  return { kind: 'local', path: directory === undefined || directory === '.' ? file : `${directory.replace(/\/+$/, '')}/${file}` };
}

/**
 * Where a target's Terraform state lives, as one comparable string: a local path (normalized), an S3
 * object (keys are literal), an HCP Terraform workspace. Undefined for tag-selected workspaces (each target's tags hold
 * its own name).
 */
export function stateLocation(b: BackendSettings): string | undefined {
  switch (b.kind) {
    case 'local':
      return `local ${posix.normalize(b.path)}`;
    case 's3':
      return `s3://${b.bucket}/${b.key}`;
    case 'cloud':
      return b.workspace.kind === 'name' ? `cloud ${b.hostname ?? 'app.terraform.io'}/${b.organization}/${b.workspace.name}` : undefined;
  }
}

/** Names, instances and accounts must be unique across targets (one instance per account). */
function checkAcrossTargets(targets: readonly TargetEntry[], indexOf: (i: number) => number, problems: string[]): void {
  const unique = (field: 'name' | 'instanceArn' | 'account', why: string) => {
    const first = new Map<string, number>();
    targets.forEach((t, position) => {
      const i = indexOf(position);
      const value = t[field];
      const seen = first.get(value);
      if (seen === undefined) first.set(value, i);
      else problems.push(describeProblem(`targets[${i}].${field}`, value, `${why} (targets[${seen}] has it)`));
    });
  };
  unique('name', 'a name no other target uses');
  unique('instanceArn', 'an instance no other target manages');
  unique('account', 'an account no other target uses: an account has at most one Identity Center instance');
}
