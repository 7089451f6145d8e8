/**
 * Switches an IAM Identity Center instance to its customer managed key as part of `cdktf deploy`, and
 * records the switch in Terraform state for the drift detector.
 *
 * The prebuilt AWS provider bindings (hashicorp/aws 6.25.0) have no resource for the instance's
 * encryption, so by default (`mode: 'cli'`) this is a `terraform_data` resource whose `input` records
 * what was applied and whose create-time `local-exec` provisioner runs `idc-cmk encryption apply`
 * (pre-flight first: it refuses, changing nothing, unless the key and its live policy are right).
 * `mode: 'native'` uses the upstream `aws_ssoadmin_instance` resource instead, for providers that have it.
 *
 * Ordering: the record depends explicitly on the key, its policy and its aliases, so apply only runs
 * once they exist. It is `create_before_destroy` and replaced whenever the key ARN changes. Make the
 * key `create_before_destroy` too ({@link InstanceEncryption.prepareKeyForReplacement}): then replacing
 * the key goes new key -> new record (instance switched to the new key) -> old record destroyed ->
 * old key scheduled for deletion. Without it Terraform destroys the old key first, while the
 * instance still uses it: users and admins lose Identity Center until the switch completes.
 */
import { Construct } from 'constructs';
import { TerraformData } from './private/terraform-data';
import { TerraformSelf, Token, type ITerraformDependable, type LocalExecProvisioner, type TerraformResource } from 'cdktf';
import { IdcCmkError, describeProblem } from '../core/errors';
import { externalIdProblems, instanceArnProblems, keyArnProblems, regionProblems, roleArnProblems } from '../encryption/arns';
import {
  AWS_OWNED_KMS_KEY,
  CUSTOMER_MANAGED_KEY,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_TIMEOUT_SECONDS,
  MAX_POLL_INTERVAL_MS,
  MAX_TIMEOUT_SECONDS,
  MIN_POLL_INTERVAL_MS,
  MIN_TIMEOUT_SECONDS,
  POLL_INTERVAL_ALLOWED,
  TIMEOUT_ALLOWED,
} from '../encryption/types';
import { escapeTerraformTemplate } from './private/terraform-escape';
import { SsoadminInstance } from './native/ssoadmin-instance';

/** Recorded in the `terraform_data` input; the drift detector recognises the record by it. */
export const INSTANCE_ENCRYPTION_KIND = 'idc-cmk/instance-encryption';
export const INSTANCE_ENCRYPTION_SCHEMA_VERSION = 1;
export const DEFAULT_COMMAND_PREFIX = 'npx --no-install idc-cmk';
export const INSTANCE_ENCRYPTION_MODES = ['cli', 'native'] as const;
export type InstanceEncryptionMode = (typeof INSTANCE_ENCRYPTION_MODES)[number];

/** Environment variables the provisioners pass values in (never interpolated into the shell text). */
export const PROVISIONER_ENV = {
  instanceArn: 'IDC_CMK_INSTANCE_ARN',
  region: 'IDC_CMK_REGION',
  kmsKeyArn: 'IDC_CMK_KMS_KEY_ARN',
} as const;

/** What the record's `input` holds (snake_case, as in state). */
export interface InstanceEncryptionRecord {
  readonly kind: typeof INSTANCE_ENCRYPTION_KIND;
  readonly schema_version: typeof INSTANCE_ENCRYPTION_SCHEMA_VERSION;
  readonly instance_arn: string;
  readonly region: string;
  readonly key_type: typeof CUSTOMER_MANAGED_KEY;
  readonly kms_key_arn: string;
}

export interface InstanceEncryptionProps {
  /** The Identity Center instance ARN, `arn:aws:sso:::instance/ssoins-<16 characters>`. */
  readonly instanceArn: string;

  /** The instance's Region (the key must be in it). */
  readonly region: string;

  /**
   * The customer managed key's ARN, usually `IdentityCenterKey.keyArn` (a token). A literal must be a
   * key ARN, not an alias. IMPORTANT: changing it replaces the record, which switches the instance.
   */
  readonly keyArn: string;

  /**
   * The organization's management account ID, which must own the instance (only organization
   * instances can use a customer managed key). The pre-flight asks Organizations
   * (`organizations:DescribeOrganization`) either way; this is a cross-check, and the fallback when
   * Organizations cannot be read.
   * @default - Organizations alone decides
   */
  readonly managementAccountId?: string;

  /**
   * What must exist before the switch: the key, its key policy and its aliases (e.g.
   * `[key.key, ...key.aliases]`). Added as explicit `depends_on`, so the switch never runs before the
   * policy that lets Identity Center use the key is in place.
   */
  readonly dependsOn: readonly ITerraformDependable[];

  /**
   * Role the CLI assumes for every call (the management account's), when Terraform runs elsewhere.
   * @default - the credentials Terraform runs with
   */
  readonly roleArn?: string;

  /**
   * External ID for `roleArn`'s trust policy, passed to the CLI as `--external-id`.
   * @default - none
   */
  readonly externalId?: string;

  /**
   * Switch the instance back to the AWS owned key when this record is destroyed (`cdktf destroy`).
   * Off by default: destroying infrastructure code should not silently change how Identity Center
   * encrypts its data. Even when on, it only switches back if the instance still uses the recorded
   * key, so replacing the key never reverts. Ignored in native mode.
   * @default false
   */
  readonly revertOnDestroy?: boolean;

  /**
   * How long `apply` / `revert` may take, in seconds.
   * @default 900
   */
  readonly timeoutSeconds?: number;

  /**
   * Milliseconds between DescribeInstance polls.
   * @default 5000
   */
  readonly pollIntervalMs?: number;

  /**
   * The command that runs the idc-cmk CLI, as shell text (it is not quoted).
   * @default 'npx --no-install idc-cmk'
   */
  readonly commandPrefix?: string;

  /**
   * The organization ID, passed to the pre-flight when the key policy conditions on it.
   * @default - none
   */
  readonly organizationId?: string;

  /**
   * Set to false to leave the instance's encryption alone: nothing is synthesized. Turning it off on
   * a deployed stack removes the record without running any provisioner (Terraform only runs destroy
   * provisioners still in the configuration), so the instance keeps its current key.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * - `cli` (default): a `terraform_data` record plus `local-exec` provisioners running `idc-cmk
   *   encryption apply|revert`. Works with the prebuilt bindings (hashicorp/aws 6.25.0), which have no
   *   resource for the instance's encryption.
   * - `native`: the upstream `aws_ssoadmin_instance` resource with `encryption_configuration`
   *   (bindings under `.gen/`), imported from `instanceArn` and protected by `prevent_destroy`
   *   (destroying that resource deletes the instance). Only for providers that have the resource; no
   *   pre-flight runs, and AWS's own validation is the only check.
   * @default 'cli'
   */
  readonly mode?: InstanceEncryptionMode;
}

export class InstanceEncryption extends Construct {
  /**
   * Makes a key construct safe to replace under an InstanceEncryption: `create_before_destroy`, so the
   * new key exists and the instance is switched to it before the old key is scheduled for deletion.
   * Keeps the key's other lifecycle settings. Call it on the `KmsKey` (and replicas) the instance uses.
   */
  public static prepareKeyForReplacement(key: TerraformResource): void {
    key.lifecycle = { ...(key.lifecycle ?? {}), createBeforeDestroy: true };
  }

  /** The `terraform_data` record (cli mode and enabled), else undefined. */
  public readonly record?: TerraformData;
  /** The `aws_ssoadmin_instance` (native mode and enabled), else undefined. */
  public readonly nativeInstance?: SsoadminInstance;
  public readonly mode: InstanceEncryptionMode;
  public readonly enabled: boolean;

  constructor(scope: Construct, id: string, props: InstanceEncryptionProps) {
    super(scope, id);
    const problems = validateProps(props);
    if (problems.length > 0) {
      throw new IdcCmkError('INPUT_INVALID', `InstanceEncryption "${id}": ${problems.length} problem${problems.length === 1 ? '' : 's'}`, { details: problems });
    }
    this.mode = props.mode ?? 'cli';
    this.enabled = props.enabled ?? true;
    if (!this.enabled) return;

    if (this.mode === 'native') {
      this.nativeInstance = new SsoadminInstance(this, 'instance', {
        region: props.region,
        encryptionConfiguration: { keyType: CUSTOMER_MANAGED_KEY, kmsKeyArn: props.keyArn },
        dependsOn: [...props.dependsOn],
        lifecycle: { preventDestroy: true },
      });
      this.nativeInstance.importFrom(props.instanceArn);
      return;
    }

    const input: InstanceEncryptionRecord = {
      kind: INSTANCE_ENCRYPTION_KIND,
      schema_version: INSTANCE_ENCRYPTION_SCHEMA_VERSION,
      instance_arn: props.instanceArn,
      region: props.region,
      key_type: CUSTOMER_MANAGED_KEY,
      kms_key_arn: props.keyArn,
    };
    const provisioners: LocalExecProvisioner[] = [applyProvisioner(props)];
    if (props.revertOnDestroy === true) provisioners.push(revertProvisioner(props));
    this.record = new TerraformData(this, 'record', {
      input: { ...input },
      triggersReplace: { instance_arn: props.instanceArn, region: props.region, kms_key_arn: props.keyArn },
      dependsOn: [...props.dependsOn],
      lifecycle: { createBeforeDestroy: true },
      provisioners,
    });
  }
}

/** Values come from the record itself (`self.input`) through the environment: no shell quoting of data. */
function recordEnvironment(): Record<string, string> {
  return {
    [PROVISIONER_ENV.instanceArn]: TerraformSelf.getString('input.instance_arn'),
    [PROVISIONER_ENV.region]: TerraformSelf.getString('input.region'),
    [PROVISIONER_ENV.kmsKeyArn]: TerraformSelf.getString('input.kms_key_arn'),
  };
}

function commonFlags(props: InstanceEncryptionProps): string {
  const flags = [
    `--timeout ${props.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS}`,
    `--poll-interval ${props.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS}`,
    ...(props.roleArn !== undefined ? [`--role-arn ${shellQuote(props.roleArn)}`] : []),
    ...(props.roleArn !== undefined && props.externalId !== undefined ? [`--external-id ${shellQuote(escapeTerraformTemplate(props.externalId))}`] : []),
  ];
  return flags.join(' ');
}

function prefix(props: InstanceEncryptionProps): string {
  return escapeTerraformTemplate(props.commandPrefix ?? DEFAULT_COMMAND_PREFIX);
}

function applyProvisioner(props: InstanceEncryptionProps): LocalExecProvisioner {
  const e = PROVISIONER_ENV;
  const command = [
    `${prefix(props)} encryption apply`,
    `--instance-arn "$${e.instanceArn}" --key-arn "$${e.kmsKeyArn}" --region "$${e.region}"`,
    ...(props.managementAccountId !== undefined ? [`--management-account ${shellQuote(props.managementAccountId)}`] : []),
    ...(props.organizationId !== undefined ? [`--org-id ${shellQuote(props.organizationId)}`] : []),
    commonFlags(props),
  ].join(' ');
  return { type: 'local-exec', when: 'create', command, environment: recordEnvironment() };
}

function revertProvisioner(props: InstanceEncryptionProps): LocalExecProvisioner {
  const e = PROVISIONER_ENV;
  const command = [
    `${prefix(props)} encryption revert --yes`,
    `--instance-arn "$${e.instanceArn}" --region "$${e.region}" --only-if-key-arn "$${e.kmsKeyArn}"`,
    commonFlags(props),
  ].join(' ');
  return { type: 'local-exec', when: 'destroy', command, environment: recordEnvironment() };
}

/** POSIX single-quoting for values known at synth time (validated, but quoted anyway). */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function validateProps(props: InstanceEncryptionProps): string[] {
  const problems = [...instanceArnProblems('instanceArn', props.instanceArn), ...regionProblems('region', props.region), ...roleArnProblems('roleArn', props.roleArn)];
  if (!Token.isUnresolved(props.keyArn)) problems.push(...keyArnProblems('keyArn', props.keyArn));
  if (props.managementAccountId !== undefined && (typeof props.managementAccountId !== 'string' || !/^\d{12}$/.test(props.managementAccountId))) {
    problems.push(describeProblem('managementAccountId', props.managementAccountId, 'a 12-digit AWS account ID'));
  }
  problems.push(...externalIdProblems('externalId', props.externalId));
  if (!Array.isArray(props.dependsOn)) problems.push(describeProblem('dependsOn', props.dependsOn, 'a list of the key, its policy and its aliases'));
  const timeout = props.timeoutSeconds;
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout >= MIN_TIMEOUT_SECONDS && timeout <= MAX_TIMEOUT_SECONDS)) {
    problems.push(describeProblem('timeoutSeconds', timeout, TIMEOUT_ALLOWED));
  }
  const poll = props.pollIntervalMs;
  if (poll !== undefined && !(Number.isInteger(poll) && poll >= MIN_POLL_INTERVAL_MS && poll <= MAX_POLL_INTERVAL_MS)) {
    problems.push(describeProblem('pollIntervalMs', poll, POLL_INTERVAL_ALLOWED));
  }
  if (props.commandPrefix !== undefined && (props.commandPrefix.trim() === '' || /[\n\r]/.test(props.commandPrefix))) {
    problems.push(describeProblem('commandPrefix', props.commandPrefix, 'a non-empty, single-line command'));
  }
  if (props.organizationId !== undefined && !/^o-[a-z0-9]{10,32}$/.test(props.organizationId)) {
    problems.push(describeProblem('organizationId', props.organizationId, 'o- followed by 10 to 32 lowercase letters or digits'));
  }
  if (props.mode !== undefined && !(INSTANCE_ENCRYPTION_MODES as readonly string[]).includes(props.mode)) {
    problems.push(describeProblem('mode', props.mode, INSTANCE_ENCRYPTION_MODES.map((m) => JSON.stringify(m)).join(' or ')));
  }
  if (props.mode === 'native' && props.revertOnDestroy === true) {
    problems.push(describeProblem('revertOnDestroy', true, `false in native mode (the resource cannot switch back to ${AWS_OWNED_KMS_KEY} on destroy: it is protected by prevent_destroy)`));
  }
  return problems;
}
