/**
 * A tiny `terraform apply` for the local endpoint: reads one synthesized stack
 * (`cdktf.out/stacks/<stack>/cdk.tf.json`), creates its KMS resources and performs the instance
 * encryption switch THROUGH THE AWS SDK (signed with the provider's assume_role credentials), and writes
 * the Terraform state (format 4) that `terraform apply` would have written, so the drift detector reads
 * exactly what it reads in production.
 *
 * Supported: aws_kms_key, aws_kms_key_policy, aws_kms_alias, aws_kms_replica_key, terraform_data (the
 * `idc-cmk/instance-encryption` record also switches the instance). Other resource types (IAM policies
 * in other accounts, alarms) are listed as skipped: the local endpoint does not serve them.
 * Not a Terraform replacement: no plan, no updates, no destroy.
 */
import { randomUUID } from 'crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  EnableKeyRotationCommand,
  KeySpec,
  KeyUsageType,
  PutKeyPolicyCommand,
  ReplicateKeyCommand,
} from '@aws-sdk/client-kms';
import { DescribeInstanceCommand, UpdateInstanceCommand } from '@aws-sdk/client-sso-admin';
import type { AwsClientFactory, TargetAccess } from '../aws/clients';
import { toIdcCmkError } from '../aws/errors';
import { IdcCmkError } from '../core/errors';

/** The parts of a synthesized cdk.tf.json the local apply reads. */
export interface SynthesizedStack {
  readonly provider?: { readonly aws?: readonly ProviderBlock[] };
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
}

interface ProviderBlock {
  readonly alias?: string;
  readonly region?: string;
  readonly assume_role?: ReadonlyArray<{ readonly role_arn?: string; readonly session_name?: string; readonly external_id?: string }>;
}

export interface LocalApplyOptions {
  /** Stack name: the state file is `terraform.<stackName>.tfstate`. */
  readonly stackName: string;
  /** Clients for the local endpoint (base credentials: the tooling account; roles from the provider blocks). */
  readonly factory: AwsClientFactory;
  /** Where to write the state file. */
  readonly stateDir: string;
  /** How long to wait for the instance to leave UPDATING. @default 30000 */
  readonly encryptionTimeoutMs?: number;
}

export interface AppliedResource {
  readonly address: string;
  readonly type: string;
}

export interface AppliedResourceWithAttributes extends AppliedResource {
  /** The attributes written to state. */
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface LocalApplyResult {
  readonly statePath: string;
  readonly applied: readonly AppliedResourceWithAttributes[];
  readonly skipped: ReadonlyArray<AppliedResource & { readonly reason: string }>;
}

/** Terraform's provider address in state (the default registry host is implied). */
const AWS_PROVIDER = 'provider["hashicorp/aws"]';
const TERRAFORM_PROVIDER = 'provider["terraform.io/builtin/terraform"]';
const TERRAFORM_VERSION = '1.9.8';
const SUPPORTED = new Set(['aws_kms_key', 'aws_kms_key_policy', 'aws_kms_alias', 'aws_kms_replica_key', 'terraform_data']);
/** `${type.name.attr}` not preceded by `$` (which would be an escaped literal `$${...}`). */
const REFERENCE = /(?<!\$)\$\{([A-Za-z][\w-]*)\.([\w-]+)\.(\w+)\}/g;

export function readSynthesizedStack(path: string): SynthesizedStack {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SynthesizedStack;
  } catch (e) {
    throw new IdcCmkError('INPUT_INVALID', `cannot read the synthesized stack ${path}: ${(e as Error).message}`, { cause: e });
  }
}

export async function localApply(stack: SynthesizedStack, options: LocalApplyOptions): Promise<LocalApplyResult> {
  const providers = new Map<string, ProviderBlock>();
  for (const p of stack.provider?.aws ?? []) providers.set(p.alias ? `aws.${p.alias}` : 'aws', p);

  const pending: Array<{ type: string; name: string; config: Readonly<Record<string, unknown>> }> = [];
  const skipped: Array<AppliedResource & { reason: string }> = [];
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    for (const [name, config] of Object.entries(byName)) {
      if (SUPPORTED.has(type)) pending.push({ type, name, config });
      else skipped.push({ address: `${type}.${name}`, type, reason: 'not served by the local endpoint' });
    }
  }

  const applied = new Map<string, { type: string; name: string; attributes: Record<string, unknown>; dependencies: string[] }>();
  const order: AppliedResourceWithAttributes[] = [];
  while (pending.length > 0) {
    const ready = pending.findIndex((r) => referencesOf(r.config).every((ref) => applied.has(ref)));
    if (ready < 0) {
      throw new IdcCmkError('INPUT_INVALID', `cannot resolve references of ${pending.map((r) => `${r.type}.${r.name}`).join(', ')}`, {
        details: pending.flatMap((r) => referencesOf(r.config).filter((ref) => !applied.has(ref)).map((ref) => `${r.type}.${r.name} -> ${ref}`)),
      });
    }
    const [r] = pending.splice(ready, 1);
    const address = `${r.type}.${r.name}`;
    const evaluated = Object.fromEntries(Object.entries(r.config).filter(([k]) => !META_ARGUMENTS.has(k)));
    const config = resolve(evaluated, applied) as Record<string, unknown>;
    const provider = providers.get(typeof r.config.provider === 'string' ? r.config.provider : 'aws') ?? providers.get('aws');
    const attributes = await create(r.type, config, provider, options);
    applied.set(address, { type: r.type, name: r.name, attributes, dependencies: referencesOf(r.config) });
    order.push({ address, type: r.type, attributes });
  }

  const state = {
    version: 4,
    terraform_version: TERRAFORM_VERSION,
    serial: 1,
    lineage: randomUUID(),
    outputs: {},
    resources: [...applied.values()]
      .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name))
      .map((r) => ({
        mode: 'managed',
        type: r.type,
        name: r.name,
        provider: r.type === 'terraform_data' ? TERRAFORM_PROVIDER : AWS_PROVIDER,
        instances: [
          {
            schema_version: 0,
            attributes: r.attributes,
            sensitive_attributes: [],
            ...(r.dependencies.length ? { dependencies: [...new Set(r.dependencies)].sort() } : {}),
          },
        ],
      })),
    check_results: null,
  };
  mkdirSync(options.stateDir, { recursive: true });
  const statePath = join(options.stateDir, `terraform.${options.stackName}.tfstate`);
  writeFileSync(statePath, `${JSON.stringify(state, null, 2)}\n`);
  return { statePath, applied: order, skipped };
}

async function create(type: string, c: Record<string, unknown>, provider: ProviderBlock | undefined, options: LocalApplyOptions): Promise<Record<string, unknown>> {
  const access = accessOf(provider, typeof c.region === 'string' ? c.region : undefined);
  const kms = options.factory.kms(access);
  const tags = stringRecord(c.tags);
  const Tags = Object.entries(tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
  switch (type) {
    case 'aws_kms_key': {
      const out = await call('kms:CreateKey', () =>
        kms.send(
          new CreateKeyCommand({
            Description: str(c.description) ?? '',
            KeySpec: (str(c.customer_master_key_spec) ?? 'SYMMETRIC_DEFAULT') as KeySpec,
            KeyUsage: (str(c.key_usage) ?? 'ENCRYPT_DECRYPT') as KeyUsageType,
            MultiRegion: c.multi_region === true,
            ...(str(c.policy) ? { Policy: str(c.policy) } : {}),
            ...(Tags.length ? { Tags } : {}),
            BypassPolicyLockoutSafetyCheck: c.bypass_policy_lockout_safety_check === true,
          }),
        ),
      );
      const m = out.KeyMetadata!;
      if (c.enable_key_rotation === true) {
        const period = typeof c.rotation_period_in_days === 'number' ? c.rotation_period_in_days : undefined;
        await call('kms:EnableKeyRotation', () => kms.send(new EnableKeyRotationCommand({ KeyId: m.KeyId, ...(period ? { RotationPeriodInDays: period } : {}) })));
      }
      if (c.is_enabled === false) await call('kms:DisableKey', () => kms.send(new DisableKeyCommand({ KeyId: m.KeyId })));
      return {
        arn: m.Arn,
        bypass_policy_lockout_safety_check: c.bypass_policy_lockout_safety_check === true,
        custom_key_store_id: '',
        customer_master_key_spec: m.KeySpec ?? 'SYMMETRIC_DEFAULT',
        deletion_window_in_days: c.deletion_window_in_days ?? null,
        description: m.Description ?? '',
        enable_key_rotation: c.enable_key_rotation === true,
        id: m.KeyId,
        is_enabled: c.is_enabled !== false,
        key_id: m.KeyId,
        key_usage: m.KeyUsage ?? 'ENCRYPT_DECRYPT',
        multi_region: m.MultiRegion === true,
        policy: str(c.policy) ?? '',
        rotation_period_in_days: c.enable_key_rotation === true ? (c.rotation_period_in_days ?? 365) : 0,
        tags: Object.keys(tags).length ? tags : null,
        tags_all: tags,
        timeouts: null,
        xks_key_id: '',
      };
    }
    case 'aws_kms_key_policy': {
      const keyId = str(c.key_id)!;
      await call('kms:PutKeyPolicy', () =>
        kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: str(c.policy)!, BypassPolicyLockoutSafetyCheck: c.bypass_policy_lockout_safety_check === true })),
      );
      return { bypass_policy_lockout_safety_check: c.bypass_policy_lockout_safety_check === true, id: keyId, key_id: keyId, policy: str(c.policy) };
    }
    case 'aws_kms_alias': {
      const name = str(c.name)!;
      const target = str(c.target_key_id)!;
      await call('kms:CreateAlias', () => kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: target })));
      const region = access.region;
      const account = accountOf(access, target);
      return {
        arn: `arn:aws:kms:${region}:${account}:${name}`,
        id: name,
        name,
        name_prefix: '',
        target_key_arn: target.startsWith('arn:') ? target : `arn:aws:kms:${region}:${account}:key/${target}`,
        target_key_id: target,
      };
    }
    case 'aws_kms_replica_key': {
      const primaryArn = str(c.primary_key_arn)!;
      const primaryRegion = primaryArn.split(':')[3];
      const primaryKms = options.factory.kms({ ...access, region: primaryRegion });
      const out = await call('kms:ReplicateKey', () =>
        primaryKms.send(
          new ReplicateKeyCommand({
            KeyId: primaryArn,
            ReplicaRegion: access.region,
            ...(str(c.policy) ? { Policy: str(c.policy) } : {}),
            ...(str(c.description) !== undefined ? { Description: str(c.description) } : {}),
            ...(Tags.length ? { Tags } : {}),
            BypassPolicyLockoutSafetyCheck: c.bypass_policy_lockout_safety_check === true,
          }),
        ),
      );
      const m = out.ReplicaKeyMetadata!;
      if (c.enabled === false) await call('kms:DisableKey', () => kms.send(new DisableKeyCommand({ KeyId: m.KeyId })));
      return {
        arn: m.Arn,
        bypass_policy_lockout_safety_check: c.bypass_policy_lockout_safety_check === true,
        deletion_window_in_days: c.deletion_window_in_days ?? 30,
        description: m.Description ?? '',
        enabled: c.enabled !== false,
        id: m.KeyId,
        key_id: m.KeyId,
        key_rotation_enabled: false,
        key_spec: m.KeySpec ?? 'SYMMETRIC_DEFAULT',
        key_usage: m.KeyUsage ?? 'ENCRYPT_DECRYPT',
        policy: str(c.policy) ?? out.ReplicaPolicy ?? '',
        primary_key_arn: primaryArn,
        tags: Object.keys(tags).length ? tags : null,
        tags_all: tags,
      };
    }
    case 'terraform_data': {
      const input = c.input;
      if (isRecord(input) && input.kind === 'idc-cmk/instance-encryption' && input.key_type !== undefined) {
        await switchInstance(input, provider, options);
      }
      const dynamic = input === undefined ? null : { value: input, type: typeOf(input) };
      const triggers = c.triggers_replace === undefined ? null : { value: c.triggers_replace, type: typeOf(c.triggers_replace) };
      return { id: randomUUID(), input: dynamic, output: dynamic, triggers_replace: triggers };
    }
    default:
      throw new IdcCmkError('INTERNAL', `local apply does not support ${type}`);
  }
}

/** UpdateInstance with the recorded configuration, then wait until the instance leaves UPDATING. */
async function switchInstance(input: Record<string, unknown>, provider: ProviderBlock | undefined, options: LocalApplyOptions): Promise<void> {
  const instanceArn = str(input.instance_arn)!;
  const keyType = str(input.key_type) as 'CUSTOMER_MANAGED_KEY' | 'AWS_OWNED_KMS_KEY';
  const access = accessOf(provider, str(input.region));
  const sso = options.factory.ssoAdmin(access);
  await call('sso:UpdateInstance', () =>
    sso.send(
      new UpdateInstanceCommand({
        InstanceArn: instanceArn,
        EncryptionConfiguration: { KeyType: keyType, ...(keyType === 'CUSTOMER_MANAGED_KEY' ? { KmsKeyArn: str(input.kms_key_arn) } : {}) },
      }),
    ),
  );
  const deadline = Date.now() + (options.encryptionTimeoutMs ?? 30_000);
  for (;;) {
    const out = await call('sso:DescribeInstance', () => sso.send(new DescribeInstanceCommand({ InstanceArn: instanceArn })));
    const details = out.EncryptionConfigurationDetails;
    if (details?.EncryptionStatus === 'ENABLED') return;
    if (details?.EncryptionStatus === 'UPDATE_FAILED') {
      throw new IdcCmkError('ENCRYPTION_UPDATE_FAILED', `switching ${instanceArn} to ${keyType} failed: ${details.EncryptionStatusReason ?? 'no reason given'}`);
    }
    if (Date.now() > deadline) throw new IdcCmkError('ENCRYPTION_TIMEOUT', `${instanceArn} is still ${details?.EncryptionStatus ?? 'UPDATING'}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function accessOf(provider: ProviderBlock | undefined, regionOverride?: string): TargetAccess {
  const role = provider?.assume_role?.[0];
  return {
    region: regionOverride ?? provider?.region ?? 'us-east-1',
    ...(role?.role_arn ? { roleArn: role.role_arn } : {}),
    ...(role?.session_name ? { sessionName: role.session_name } : {}),
    ...(role?.external_id ? { externalId: role.external_id } : {}),
  };
}

function accountOf(access: TargetAccess, keyIdOrArn: string): string {
  if (keyIdOrArn.startsWith('arn:')) return keyIdOrArn.split(':')[4];
  return /^arn:[^:]+:iam::(\d{12}):/.exec(access.roleArn ?? '')?.[1] ?? '000000000000';
}

async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toIdcCmkError(operation, e);
  }
}

/** Meta-arguments local apply does not evaluate (the provisioner's work is done through the SDK instead). */
const META_ARGUMENTS = new Set(['//', 'provisioner', 'lifecycle', 'depends_on', 'provider', 'connection', 'count', 'for_each']);

/** Every `type.name` a configuration references or depends on (`self` excluded). */
function referencesOf(config: Readonly<Record<string, unknown>>): string[] {
  const refs: string[] = [];
  const evaluated = Object.fromEntries(Object.entries(config).filter(([k]) => !META_ARGUMENTS.has(k)));
  for (const m of JSON.stringify(evaluated).matchAll(REFERENCE)) if (m[1] !== 'self') refs.push(`${m[1]}.${m[2]}`);
  if (Array.isArray(config.depends_on)) for (const d of config.depends_on) if (typeof d === 'string') refs.push(d.replace(/^\$\{|\}$/g, ''));
  return [...new Set(refs)];
}

/** Replaces references with applied attributes, then unescapes `$${` and `%%{` as Terraform does. */
function resolve(value: unknown, applied: ReadonlyMap<string, { attributes: Record<string, unknown> }>): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{([A-Za-z][\w-]*)\.([\w-]+)\.(\w+)\}$/.exec(value);
    if (whole) return attributeOf(whole[1], whole[2], whole[3]);
    return value.replace(REFERENCE, (_, t: string, n: string, a: string) => String(attributeOf(t, n, a))).replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, applied));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== '//') out[k] = resolve(v, applied);
    return out;
  }
  return value;

  function attributeOf(type: string, name: string, attr: string): unknown {
    const r = applied.get(`${type}.${name}`);
    if (!r || !(attr in r.attributes)) throw new IdcCmkError('INPUT_INVALID', `unresolved reference \${${type}.${name}.${attr}}`);
    return r.attributes[attr];
  }
}

/** The cty type of a JSON value, as Terraform records a dynamic value. */
function typeOf(v: unknown): unknown {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return ['tuple', v.map(typeOf)];
  if (isRecord(v)) return ['object', Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeOf(x)]))];
  return 'dynamic';
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function stringRecord(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  return Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
