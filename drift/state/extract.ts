/**
 * Find one target's resources in a parsed state: the key (and its separate policy resource), aliases,
 * replicas and the two `terraform_data` records our construct writes (the target and the instance
 * encryption configuration), into an {@link ExpectedTarget}.
 */
import { IdcCmkError, describeProblem } from '../../core/errors';
import type { ExpectedAlias, ExpectedEncryption, ExpectedKey, ExpectedReplica, ExpectedTarget } from '../model';
import { keyIdOf, parseArn } from './arn';
import type { StateRecord, TerraformState } from './types';

export const TARGET_RECORD_KIND = 'idc-cmk/target';
export const ENCRYPTION_RECORD_KIND = 'idc-cmk/instance-encryption';

/** The `input` of our `terraform_data` target record (schema_version 1). */
export interface TargetRecord {
  readonly address: string;
  readonly target: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly instanceArn: string;
  readonly identityStoreId: string;
  readonly identityStoreArn: string;
  /** Not written by schema 1; honoured when present. */
  readonly keyArn?: string;
}

/**
 * @param targetName the target name known from the state's file name or object key; the target record's
 *   own name wins when the state has one. With several target records, selects the one to use.
 */
export function extractExpectedTarget(state: TerraformState, source: string, targetName?: string): ExpectedTarget {
  const managed = state.records.filter((r) => r.mode === 'managed');
  const problems: string[] = [];

  const targetRecord = pickTargetRecord(managed, source, targetName, problems);
  const encryption = pickEncryption(managed, source, targetRecord, problems);
  const keyRecords = managed.filter((r) => r.type === 'aws_kms_key');

  if (keyRecords.length === 0) {
    const message = targetRecord
      ? `State ${source} records target "${targetRecord.target}" but holds no aws_kms_key`
      : `State ${source} holds no idc-cmk resources (no aws_kms_key, no idc-cmk target record)`;
    throw new IdcCmkError('STATE_NO_RESOURCES', message, {
      hint: 'Check that this is the state of an idc-cmk stack and that it has been deployed.',
    });
  }
  const keyRecord = pickKey(keyRecords, source, [targetRecord?.keyArn, encryption?.kmsKeyArn]);
  const key = toKey(keyRecord, managed, problems);
  if (problems.length > 0 || !key) {
    throw new IdcCmkError('STATE_INVALID', `State ${source} has unusable idc-cmk resources`, { details: problems });
  }

  const aliases = managed
    .filter((r) => r.type === 'aws_kms_alias')
    .map((r) => toAlias(r, key.region, problems))
    .filter((a): a is ExpectedAlias => a !== undefined && a.targetKeyId === key.keyId);
  const replicas = managed
    .filter((r) => r.type === 'aws_kms_replica_key')
    .filter((r) => {
      const primary = str(r.attributes.primary_key_arn);
      return primary === undefined || primary === key.arn || keyIdOf(primary) === key.keyId;
    })
    .map((r) => toReplica(r, managed, problems))
    .filter((r): r is ExpectedReplica => r !== undefined);
  if (problems.length > 0) {
    throw new IdcCmkError('STATE_INVALID', `State ${source} has unusable idc-cmk resources`, { details: problems });
  }

  const byAddress = (a: { address: string }, b: { address: string }): number => compare(a.address, b.address);
  return {
    target: targetRecord?.target ?? targetName ?? targetNameFromSource(source),
    stateSource: source,
    account: targetRecord?.account ?? key.account,
    region: targetRecord?.region ?? key.region,
    ...(targetRecord ? { partition: targetRecord.partition, identityStoreArn: targetRecord.identityStoreArn } : {}),
    key,
    aliases: [...aliases].sort(byAddress),
    replicas: [...replicas].sort(byAddress),
    ...(encryption ? { encryption } : {}),
    ...(targetRecord
      ? { instanceArn: targetRecord.instanceArn, identityStoreId: targetRecord.identityStoreId }
      : encryption
        ? { instanceArn: encryption.instanceArn }
        : {}),
  };
}

/**
 * The target name a state's location implies: `terraform.prod-eu.tfstate` -> `prod-eu`,
 * `s3://b/idc/prod-eu.tfstate` -> `prod-eu`, `s3://b/idc/prod-eu/terraform.tfstate` -> `prod-eu`.
 */
export function targetNameFromSource(source: string): string {
  const parts = source.replace(/\\/g, '/').split('/').filter((p) => p !== '');
  const base = parts[parts.length - 1] ?? source;
  let name = base.replace(/\.tfstate$/, '');
  name = name.replace(/^terraform\./, '');
  if ((name === 'terraform' || name === '') && parts.length >= 2) return parts[parts.length - 2];
  return name || source;
}

// ---------------------------------------------------------------------------------------------

function pickTargetRecord(records: readonly StateRecord[], source: string, targetName: string | undefined, problems: string[]): TargetRecord | undefined {
  const found = dataRecords(records, TARGET_RECORD_KIND)
    .map(({ record, input }) => toTargetRecord(record, input, problems))
    .filter((r): r is TargetRecord => r !== undefined);
  if (found.length <= 1) return found[0];
  const named = targetName ? found.filter((r) => r.target === targetName) : [];
  if (named.length === 1) return named[0];
  throw new IdcCmkError('STATE_INVALID', `State ${source} records ${found.length} idc-cmk targets; cannot tell which one to check`, {
    details: found.map((r) => `${r.address}: target "${r.target}"`),
    hint: 'Keep one target per state (cdktf: one stack per target), or name the target.',
  });
}

function pickEncryption(records: readonly StateRecord[], source: string, target: TargetRecord | undefined, problems: string[]): ExpectedEncryption | undefined {
  const found = dataRecords(records, ENCRYPTION_RECORD_KIND)
    .map(({ record, input }) => toEncryption(record, input, problems))
    .filter((r): r is ExpectedEncryption => r !== undefined);
  if (found.length <= 1) return found[0];
  const mine = target ? found.filter((e) => e.instanceArn === target.instanceArn) : [];
  if (mine.length === 1) return mine[0];
  throw new IdcCmkError('STATE_INVALID', `State ${source} records ${found.length} instance encryption configurations; cannot tell which one to check`, {
    details: found.map((e) => `${e.address}: instance ${e.instanceArn}`),
  });
}

function pickKey(keys: readonly StateRecord[], source: string, pointers: readonly (string | undefined)[]): StateRecord {
  if (keys.length === 1) return keys[0];
  for (const pointer of pointers) {
    if (!pointer) continue;
    const match = keys.filter((k) => str(k.attributes.arn) === pointer || str(k.attributes.key_id) === keyIdOf(pointer));
    if (match.length === 1) return match[0];
  }
  throw new IdcCmkError('STATE_INVALID', `State ${source} holds ${keys.length} aws_kms_key resources and no idc-cmk record says which one is the Identity Center key`, {
    details: keys.map((k) => `${k.address}: ${str(k.attributes.arn) ?? '(no arn)'}`),
  });
}

/** `terraform_data` records whose input has the given `kind`, with the input unwrapped. */
/** The targets a parsed state records (idc-cmk target records), in state order: one for a cdktf stack's state. */
export function recordedTargetNames(state: TerraformState): string[] {
  const names = dataRecords(state.records.filter((r) => r.mode === 'managed'), TARGET_RECORD_KIND)
    .map(({ input }) => input.target)
    .filter((t): t is string => typeof t === 'string' && t !== '');
  return [...new Set(names)];
}

function dataRecords(records: readonly StateRecord[], kind: string): { record: StateRecord; input: Record<string, unknown> }[] {
  const out: { record: StateRecord; input: Record<string, unknown> }[] = [];
  for (const record of records) {
    if (record.type !== 'terraform_data') continue;
    const input = unwrapDynamic(record.attributes.input);
    if (input && input.kind === kind) out.push({ record, input });
  }
  return out;
}

/** A terraform_data `input` is stored as a dynamic value `{ value, type }`; accept that, a plain object, or a JSON string. */
export function unwrapDynamic(raw: unknown): Record<string, unknown> | undefined {
  let v = raw;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (!isObject(v)) return undefined;
  if ('value' in v && 'type' in v && !('kind' in v)) return unwrapDynamic(v.value);
  return v;
}

function toTargetRecord(record: StateRecord, input: Record<string, unknown>, problems: string[]): TargetRecord | undefined {
  const at = (f: string): string => `${record.address}.input.${f}`;
  if (input.schema_version !== 1) {
    problems.push(describeProblem(at('schema_version'), input.schema_version, '1 (upgrade idc-cmk to read newer records)'));
    return undefined;
  }
  const fields = ['target', 'account', 'region', 'partition', 'instance_arn', 'identity_store_id', 'identity_store_arn'] as const;
  const values: Partial<Record<(typeof fields)[number], string>> = {};
  let ok = true;
  for (const f of fields) {
    const v = str(input[f]);
    if (v === undefined || v === '') {
      problems.push(describeProblem(at(f), input[f], 'a non-empty string'));
      ok = false;
    } else values[f] = v;
  }
  if (!ok) return undefined;
  const keyArn = str(input.key_arn) ?? str(input.kms_key_arn);
  return {
    address: record.address,
    target: values.target!,
    account: values.account!,
    region: values.region!,
    partition: values.partition!,
    instanceArn: values.instance_arn!,
    identityStoreId: values.identity_store_id!,
    identityStoreArn: values.identity_store_arn!,
    ...(keyArn ? { keyArn } : {}),
  };
}

function toEncryption(record: StateRecord, input: Record<string, unknown>, problems: string[]): ExpectedEncryption | undefined {
  const at = (f: string): string => `${record.address}.input.${f}`;
  if (input.schema_version !== 1) {
    problems.push(describeProblem(at('schema_version'), input.schema_version, '1 (upgrade idc-cmk to read newer records)'));
    return undefined;
  }
  const instanceArn = str(input.instance_arn);
  const region = str(input.region);
  const keyType = input.key_type;
  const kmsKeyArn = str(input.kms_key_arn) || undefined;
  let ok = true;
  if (!instanceArn) (ok = false), problems.push(describeProblem(at('instance_arn'), input.instance_arn, 'an Identity Center instance ARN'));
  if (!region) (ok = false), problems.push(describeProblem(at('region'), input.region, 'a Region name'));
  if (keyType !== 'CUSTOMER_MANAGED_KEY' && keyType !== 'AWS_OWNED_KMS_KEY') {
    ok = false;
    problems.push(describeProblem(at('key_type'), keyType, '"CUSTOMER_MANAGED_KEY" or "AWS_OWNED_KMS_KEY"'));
  }
  if (keyType === 'CUSTOMER_MANAGED_KEY' && !kmsKeyArn) {
    ok = false;
    problems.push(describeProblem(at('kms_key_arn'), input.kms_key_arn, 'the key ARN when key_type is CUSTOMER_MANAGED_KEY'));
  }
  if (!ok) return undefined;
  return {
    address: record.address,
    instanceArn: instanceArn!,
    region: region!,
    keyType: keyType as ExpectedEncryption['keyType'],
    ...(kmsKeyArn ? { kmsKeyArn } : {}),
  };
}

function toKey(r: StateRecord, records: readonly StateRecord[], problems: string[]): ExpectedKey | undefined {
  const a = r.attributes;
  const arn = str(a.arn);
  const keyId = str(a.key_id) ?? str(a.id);
  const parsed = arn ? parseArn(arn) : undefined;
  if (!arn || !parsed) problems.push(describeProblem(`${r.address}.arn`, a.arn, 'a KMS key ARN'));
  if (!keyId) problems.push(describeProblem(`${r.address}.key_id`, a.key_id, 'a KMS key ID'));
  if (!arn || !parsed || !keyId) return undefined;

  const policyResource = records.find(
    (p) => p.type === 'aws_kms_key_policy' && (str(p.attributes.key_id) === keyId || str(p.attributes.key_id) === arn),
  );
  const policy = nonEmpty(str(policyResource?.attributes.policy)) ?? nonEmpty(str(a.policy));
  const policyAddress = policy === undefined ? undefined : policyResource && nonEmpty(str(policyResource.attributes.policy)) ? policyResource.address : r.address;
  // Terraform always records the key policy and these flags: without them nothing could be compared,
  // and a comparison skipped in silence would read as "in sync".
  if (policy === undefined) problems.push(describeProblem(`${r.address}.policy`, a.policy, 'the key policy JSON (a non-empty string)'));
  for (const flag of ['enable_key_rotation', 'is_enabled', 'multi_region'] as const) {
    if (typeof a[flag] !== 'boolean') problems.push(describeProblem(`${r.address}.${flag}`, a[flag], 'true or false (Terraform records it for every key)'));
  }
  if (policy === undefined || problems.length > 0) return undefined;
  const rotationPeriod = num(a.rotation_period_in_days);
  const description = str(a.description);
  return {
    address: r.address,
    keyId,
    arn,
    account: parsed.account,
    region: str(a.region) || parsed.region,
    ...(description !== undefined ? { description } : {}),
    multiRegion: a.multi_region === true,
    keySpec: str(a.customer_master_key_spec) || 'SYMMETRIC_DEFAULT',
    keyUsage: str(a.key_usage) || 'ENCRYPT_DECRYPT',
    enabled: a.is_enabled !== false,
    rotationEnabled: a.enable_key_rotation === true,
    ...(rotationPeriod ? { rotationPeriodInDays: rotationPeriod } : {}),
    ...(policy !== undefined ? { policy, policyAddress } : {}),
    tags: tagsOf(a.tags),
    ...(isObject(a.tags_all) ? { tagsAll: tagsOf(a.tags_all) } : {}),
  };
}

function toAlias(r: StateRecord, defaultRegion: string, problems: string[]): ExpectedAlias | undefined {
  const a = r.attributes;
  const name = str(a.name);
  const target = str(a.target_key_id) ?? str(a.target_key_arn);
  if (!name) problems.push(describeProblem(`${r.address}.name`, a.name, 'an alias name (alias/...)'));
  if (!target) problems.push(describeProblem(`${r.address}.target_key_id`, a.target_key_id, 'a key ID or ARN'));
  if (!name || !target) return undefined;
  const arn = str(a.arn);
  return {
    address: r.address,
    name,
    targetKeyId: keyIdOf(target),
    region: str(a.region) || (arn ? parseArn(arn)?.region : undefined) || parseArn(target)?.region || defaultRegion,
  };
}

function toReplica(r: StateRecord, records: readonly StateRecord[], problems: string[]): ExpectedReplica | undefined {
  const a = r.attributes;
  const arn = str(a.arn);
  const keyId = str(a.key_id) ?? str(a.id);
  const parsed = arn ? parseArn(arn) : undefined;
  if (!arn || !parsed) problems.push(describeProblem(`${r.address}.arn`, a.arn, 'a KMS replica key ARN'));
  if (!keyId) problems.push(describeProblem(`${r.address}.key_id`, a.key_id, 'a KMS key ID'));
  if (!arn || !parsed || !keyId) return undefined;
  const policyResource = records.find((p) => p.type === 'aws_kms_key_policy' && str(p.attributes.key_id) === arn);
  const policy = nonEmpty(str(policyResource?.attributes.policy)) ?? nonEmpty(str(a.policy));
  // As for the primary: a replica policy or flag missing from state would skip its comparison in silence.
  if (policy === undefined) problems.push(describeProblem(`${r.address}.policy`, a.policy, 'the replica key policy JSON (a non-empty string)'));
  if (typeof a.enabled !== 'boolean') problems.push(describeProblem(`${r.address}.enabled`, a.enabled, 'true or false (Terraform records it for every replica key)'));
  if (policy === undefined || typeof a.enabled !== 'boolean') return undefined;
  const description = str(a.description);
  return {
    address: r.address,
    keyId,
    arn,
    region: str(a.region) || parsed.region,
    ...(description !== undefined ? { description } : {}),
    enabled: a.enabled !== false,
    ...(policy !== undefined ? { policy } : {}),
    tags: tagsOf(a.tags),
    ...(isObject(a.tags_all) ? { tagsAll: tagsOf(a.tags_all) } : {}),
  };
}

function tagsOf(raw: unknown): Record<string, string> {
  if (!isObject(raw)) return {};
  const out: Record<string, string> = {};
  for (const k of Object.keys(raw).sort()) {
    const v = raw[k];
    if (typeof v === 'string') out[k] = v;
    else if (v !== null && v !== undefined) out[k] = String(v);
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}
function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
  if (typeof v === 'string' && /^\d+$/.test(v) && Number(v) > 0) return Number(v);
  return undefined;
}
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
