/**
 * The dedicated customer managed KMS key for one IAM Identity Center instance: key, aliases,
 * multi-Region replicas, key policy, the IAM policies other accounts need, and a record of the
 * target for the drift detector.
 * @see https://docs.aws.amazon.com/singlesignon/latest/userguide/identity-center-customer-managed-keys.html
 */
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsReplicaKey } from '@cdktf/provider-aws/lib/kms-replica-key';
import { TerraformOutput, Token } from 'cdktf';
import { TerraformData } from './private/terraform-data';
import { Construct } from 'constructs';
import { IdcCmkError } from '../core/errors';
import { renderPolicy } from '../policy/render';
import type { PolicyDocument } from '../policy/types';
import { type CrossAccountPolicies, buildCrossAccountPolicies } from './cross-account-policies';
import type { IdentityCenterKeyProps } from './identity-center-key-props';
import { buildKeyPolicy } from './policy/key-policy';
import { type ResolvedKeyProps, resolveKeyProps } from './private/defaults';
import { identityStoreArn } from './private/partitions';
import { escapeTerraformTemplate } from './private/terraform-escape';
import { describeProblem } from '../core/errors';
import { validateIdentityCenterKeyProps, validateKeyPolicy } from './validation';

export type { IdentityCenterKeyProps } from './identity-center-key-props';

/** `kind` of the `target-record` terraform_data input: how the drift detector recognises our state. */
export const TARGET_RECORD_KIND = 'idc-cmk/target';
/** Version of the `target-record` input's shape. */
export const TARGET_RECORD_SCHEMA_VERSION = 1;
/** Construct id (and Terraform name stem) of the target record. */
export const TARGET_RECORD_ID = 'target-record';

/** What `target-record` stores (snake_case: it is read back from Terraform state). */
export interface TargetRecord {
  readonly kind: typeof TARGET_RECORD_KIND;
  readonly schema_version: typeof TARGET_RECORD_SCHEMA_VERSION;
  readonly target: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly instance_arn?: string;
  readonly identity_store_id?: string;
  readonly identity_store_arn?: string;
}

/** One replica Region: the replica key and its aliases (same names as the primary's). */
export interface IdentityCenterKeyReplica {
  readonly region: string;
  readonly key: KmsReplicaKey;
  readonly aliases: readonly KmsAlias[];
}

/** Outputs declared by the construct (rename their logical IDs with `overrideLogicalId` if needed). */
export interface IdentityCenterKeyOutputs {
  readonly keyArn: TerraformOutput;
  readonly keyId: TerraformOutput;
  readonly aliasArns: TerraformOutput;
  readonly replicaArns: TerraformOutput;
  readonly keyPolicy: TerraformOutput;
  readonly delegatedAdminIamPolicy: TerraformOutput;
  readonly applicationAdminIamPolicy: TerraformOutput;
}

/** Placeholder for the key ID while a document is rendered and escaped; replaced by the token after. */
const KEY_ID_PLACEHOLDER = '__IDC_CMK_KEY_ID__';

export class IdentityCenterKey extends Construct {
  /** The primary key (multi-Region primary unless `multiRegion: false`). */
  public readonly key: KmsKey;
  public readonly keyArn: string;
  public readonly keyId: string;
  /** Aliases of the primary key, in the Region of the primary. */
  public readonly aliases: readonly KmsAlias[];
  /** The alias names (`alias/...`), normalised, as they exist in every Region of the key. */
  public readonly aliasNames: readonly string[];
  public readonly replicas: readonly IdentityCenterKeyReplica[];
  /** The key policy model (what every key and replica gets). */
  public readonly renderedPolicy: PolicyDocument;
  /** The key policy JSON as AWS stores it (policy variables unescaped). */
  public readonly policyJson: string;
  /** The `terraform_data` recording this target for the drift detector. */
  public readonly targetRecord: TerraformData;
  public readonly outputs: IdentityCenterKeyOutputs;
  private readonly resolved: ResolvedKeyProps;
  private readonly props: IdentityCenterKeyProps;

  constructor(scope: Construct, id: string, props: IdentityCenterKeyProps) {
    super(scope, id);
    this.props = props;
    this.renderedPolicy = buildKeyPolicy(props);
    const unresolved = unresolvedStatements(props);
    // A statement holding a token is reported once, as such, not again for the token's text.
    const literalProps = unresolved.length > 0 ? { ...props, extraStatements: (props.extraStatements ?? []).filter((st) => !Token.isUnresolved(JSON.stringify(st))) } : props;
    const tokenFields = unresolvedProps(props);
    const problems = tokenFields.length > 0
      ? [
          ...tokenFields.map((f) => describeProblem(f, 'a cdktf token', 'a literal value: the key policy is built from it and validated at synth, before any token resolves')),
          ...validateIdentityCenterKeyProps(literalProps).filter((p) => !tokenFields.some((f) => p.startsWith(`${f}:`) || p.startsWith(`${f}[`))),
          ...unresolved,
        ]
      : [...validateIdentityCenterKeyProps(literalProps), ...validateKeyPolicy(this.renderedPolicy, { deployer: props.deployRoleArn, extraStatementsFrom: this.renderedPolicy.Statement.length - (props.extraStatements?.length ?? 0) }), ...unresolved];
    if (problems.length > 0) {
      throw new IdcCmkError('INPUT_INVALID', `IdentityCenterKey "${this.node.path}": ${problems.length} problem${problems.length === 1 ? '' : 's'}`, {
        details: problems,
      });
    }
    const r = (this.resolved = resolveKeyProps(props));
    this.policyJson = renderPolicy(this.renderedPolicy);
    const terraformPolicy = escapeTerraformTemplate(this.policyJson);
    const lifecycle = { preventDestroy: r.preventDestroy };

    this.key = new KmsKey(this, 'key', {
      description: literal(r.description),
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      multiRegion: r.multiRegion,
      enableKeyRotation: r.rotation,
      rotationPeriodInDays: r.rotation ? r.rotationPeriodInDays : undefined,
      deletionWindowInDays: r.deletionWindowInDays,
      isEnabled: true,
      policy: terraformPolicy,
      tags: nonEmpty(r.tags),
      lifecycle,
    });
    this.keyArn = this.key.arn;
    this.keyId = this.key.keyId;
    this.aliasNames = r.aliases;
    this.aliases = r.aliases.map((name) => new KmsAlias(this, aliasId(name), { name, targetKeyId: this.key.keyId }));

    this.replicas = r.replicaRegions.map((region) => {
      const key = new KmsReplicaKey(this, `replica-${region}`, {
        region,
        primaryKeyArn: this.key.arn,
        description: literal(r.description),
        deletionWindowInDays: r.deletionWindowInDays,
        enabled: true,
        policy: terraformPolicy,
        tags: nonEmpty(r.tags),
        lifecycle,
      });
      const aliases = r.aliases.map((name) => new KmsAlias(this, `replica-${region}-${aliasId(name)}`, { region, name, targetKeyId: key.keyId }));
      return { region, key, aliases };
    });

    this.targetRecord = new TerraformData(this, TARGET_RECORD_ID, { input: { ...this.targetRecordInput(id) } });
    this.outputs = this.declareOutputs(terraformPolicy);
  }

  /** The IAM policy documents principals in other accounts need (key ARN as a token until apply). */
  public crossAccountPolicies(): CrossAccountPolicies {
    return buildCrossAccountPolicies(this.props, this.keyId);
  }

  /** The `target-record` input (undefined fields omitted). */
  public targetRecordInput(id: string = this.node.id): TargetRecord {
    const r = this.resolved;
    return omitUndefined({
      kind: TARGET_RECORD_KIND,
      schema_version: TARGET_RECORD_SCHEMA_VERSION,
      target: this.props.targetName ?? id,
      account: r.account,
      region: r.region,
      partition: r.partition,
      instance_arn: r.instanceArn,
      identity_store_id: r.identityStoreId,
      identity_store_arn: r.identityStoreId !== undefined ? identityStoreArn(r.partition, r.account, r.identityStoreId) : undefined,
    });
  }

  private declareOutputs(terraformPolicy: string): IdentityCenterKeyOutputs {
    const crossAccount = buildCrossAccountPolicies(this.props, KEY_ID_PLACEHOLDER);
    const forTerraform = (doc: PolicyDocument): string =>
      escapeTerraformTemplate(renderPolicy(doc)).split(KEY_ID_PLACEHOLDER).join(this.keyId);
    return {
      keyArn: new TerraformOutput(this, 'key_arn', { value: this.keyArn, description: 'ARN of the Identity Center KMS key (primary)' }),
      keyId: new TerraformOutput(this, 'key_id', { value: this.keyId, description: 'ID of the Identity Center KMS key' }),
      aliasArns: new TerraformOutput(this, 'alias_arns', {
        value: [...this.aliases, ...this.replicas.flatMap((rep) => rep.aliases)].map((a) => a.arn),
        description: 'ARNs of the key aliases (primary Region first, then each replica Region)',
      }),
      replicaArns: new TerraformOutput(this, 'replica_arns', { value: this.replicas.map((rep) => rep.key.arn), description: 'ARNs of the replica keys' }),
      keyPolicy: new TerraformOutput(this, 'key_policy', { value: terraformPolicy, description: 'The key policy JSON (same on every replica)' }),
      delegatedAdminIamPolicy: new TerraformOutput(this, 'delegated_admin_iam_policy', {
        value: forTerraform(crossAccount.delegatedAdministrator),
        description: 'IAM policy JSON for Identity Center delegated administrators in other accounts',
      }),
      applicationAdminIamPolicy: new TerraformOutput(this, 'application_admin_iam_policy', {
        value: forTerraform(crossAccount.applicationAdministrators),
        description: 'IAM policy JSON for managed-application administrators in other accounts',
      }),
    };
  }
}

function aliasId(name: string): string {
  // `.` never occurs in alias names, so this is collision-free.
  return `alias-${name.slice('alias/'.length).replace(/\//g, '.')}`;
}

/** Tags as Terraform must see them: text reaches AWS literally (see {@link literal}); none: undefined. */
function nonEmpty(tags: Readonly<Record<string, string>>): Record<string, string> | undefined {
  const entries = Object.entries(tags);
  return entries.length > 0 ? Object.fromEntries(entries.map(([k, v]) => [literal(k), literal(v)])) : undefined;
}

/** Plain text escaped so Terraform passes `${` and `%{` through literally; a cdktf token stays a reference. */
function literal(text: string): string {
  return Token.isUnresolved(text) ? text : escapeTerraformTemplate(text);
}

/** Props (other than description, tags and extra statements) given as cdktf tokens. */
function unresolvedProps(props: IdentityCenterKeyProps): string[] {
  const tokenFree = new Set(['description', 'tags', 'extraStatements']);
  return Object.entries(props).flatMap(([field, value]) => {
    if (tokenFree.has(field) || value === undefined || value === null) return [];
    const values = Array.isArray(value) ? value : [value];
    return values.some((v) => (typeof v === 'string' || typeof v === 'number') && Token.isUnresolved(v)) ? [field] : [];
  });
}

/**
 * Extra statements must be literal: the key policy is validated (lockout, `Principal: "*"`) and
 * rendered at synth, so a value known only at apply could neither be checked nor rendered.
 */
function unresolvedStatements(props: IdentityCenterKeyProps): string[] {
  return (props.extraStatements ?? []).flatMap((s, i) =>
    Token.isUnresolved(JSON.stringify(s))
      ? [describeProblem(`extraStatements[${i}]`, s.Sid ?? '(no Sid)', 'literal values only: a statement holding a cdktf token (a reference known only at apply) cannot be validated or rendered at synth')]
      : [],
  );
}

function omitUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
