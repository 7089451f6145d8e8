/**
 * The IAM policy Identity Center administrators in the delegated-admin account need to work with an
 * instance encrypted by a customer managed key, created IN that account through a provider alias
 * (KMS requires both the key policy, in the management account, and an identity-based policy in the
 * caller's account for cross-account use).
 *
 * Least privilege, pinned to the instance: cryptographic use only through Identity Center /
 * Identity Store (`kms:ViaService`) and only with this instance's encryption context; DescribeKey on
 * the key (no encryption context exists for it); ListAliases on `*` (it has no resource).
 * @see https://docs.aws.amazon.com/singlesignon/latest/userguide/baseline-KMS-key-policy.html
 * @see https://docs.aws.amazon.com/singlesignon/latest/userguide/advanced-kms-policy.html
 */
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { TerraformProvider, Token } from 'cdktf';
import { Construct } from 'constructs';
import { IdcCmkError, describeProblem } from '../core/errors';
import { renderPolicy } from '../policy/render';
import { POLICY_VERSION, type PolicyDocument } from '../policy/types';
import type { AwsPartition } from './identity-center-key-props';
import { conditionBlock } from './policy/conditions';
import { identityStorePin, instancePin } from './policy/encryption-context';
import { DEFAULT_PARTITION } from './private/defaults';
import { ADMIN_VIA_SERVICE_ACTIONS, DESCRIBE_KEY_ACTION, LIST_ALIASES_ACTION } from './private/kms-actions';
import {
  ACCOUNT_ALLOWED, ACCOUNT_PATTERN, IDENTITY_STORE_ID_ALLOWED, IDENTITY_STORE_ID_PATTERN, PARTITION_ALLOWED,
  instanceArnAllowed, instanceArnPattern,
} from './private/limits';
import { isPartition, viaServicePattern } from './private/partitions';
import { escapeTerraformTemplate } from './private/terraform-escape';

/** Stable Sids of the delegated-admin IAM policy (a contract for drift reports: add, never rename). */
export const DELEGATED_ADMIN_SIDS = {
  viaIdentityCenter: 'UseIdentityCenterKeyViaIdentityCenter',
  viaIdentityStore: 'UseIdentityCenterKeyViaIdentityStore',
  describeKey: 'DescribeIdentityCenterKey',
  listAliases: 'ListKmsAliases',
} as const;

export interface DelegatedAdminAccessProps {
  /**
   * The provider for the delegated-admin account: an `AwsProvider` with an `alias`, `assumeRole`
   * into that account and `allowedAccountIds: [delegatedAdminAccount]`, so the policy can never be
   * created anywhere else. The default (unaliased) provider of a stack is refused.
   */
  readonly provider: TerraformProvider;
  /** The Identity Center delegated-admin account, where the policy is created. */
  readonly delegatedAdminAccount: string;
  /** The management account: owner of the key and the instance. */
  readonly managementAccount: string;
  /**
   * The key: its ID (`<uuid>` or `mrk-<32 hex>`, or a cdktf token such as `IdentityCenterKey.keyId`)
   * or a literal key ARN in `managementAccount`. The policy names `arn:<partition>:kms:*:<account>:key/<id>`:
   * the `*` Region covers the replicas of a multi-Region key, which share its ID.
   */
  readonly key: string;
  /** The instance ARN, `arn:<partition>:sso:::instance/ssoins-<16 hex>`: the Identity Center encryption-context pin. */
  readonly instanceArn: string;
  /** The identity store ID, `d-<10 hex>`: the Identity Store encryption-context pin. */
  readonly identityStoreId: string;
  /**
   * The AWS partition.
   * @default 'aws'
   */
  readonly partition?: AwsPartition;
  /**
   * Names (not ARNs) of roles in the delegated-admin account to attach the policy to. For
   * permission-set roles (`AWSReservedSSO_*`) attach through the permission set instead: Identity
   * Center owns those roles and reverts changes.
   * @default - none: the policy is only created
   */
  readonly roleNames?: readonly string[];
  /**
   * The policy name, 1 to 128 of `A-Z a-z 0-9 + = , . @ _ -`.
   * @default 'IdentityCenterKeyAccess-<instance ID>'
   */
  readonly policyName?: string;
  /**
   * The IAM path of the policy.
   * @default '/'
   */
  readonly policyPath?: string;
  /**
   * The policy description.
   * @default 'Use the IAM Identity Center customer managed key through Identity Center and Identity Store for <instance ARN>'
   */
  readonly description?: string;
  /**
   * Tags on the policy.
   * @default - no tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

const KEY_ID_PATTERN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;
const ROLE_NAME_ALLOWED = 'an IAM role name (not an ARN or path): 1 to 64 letters, digits or "+=,.@_-"';
const POLICY_NAME_PATTERN = /^[\w+=,.@-]{1,128}$/;
const POLICY_NAME_ALLOWED = '1 to 128 letters, digits or "+=,.@_-"';
const POLICY_PATH_PATTERN = /^\/([\x21-\x2E\x30-\x7E]+\/)*$/;
const POLICY_PATH_ALLOWED = 'an IAM path that starts and ends with "/", at most 512 characters';

/** Inputs of {@link buildDelegatedAdminPolicy}, defaults applied. */
export interface DelegatedAdminPolicyInput {
  readonly partition: AwsPartition;
  readonly managementAccount: string;
  /** Key ID (literal or token). */
  readonly keyId: string;
  readonly instanceArn: string;
  readonly identityStoreId: string;
}

/**
 * The delegated-admin IAM policy document: Encrypt/Decrypt/GenerateDataKeyWithoutPlaintext through
 * each service with its encryption-context pin, DescribeKey on the key, ListAliases on `*`.
 */
export function buildDelegatedAdminPolicy(input: DelegatedAdminPolicyInput): PolicyDocument {
  const keyArn = `arn:${input.partition}:kms:*:${input.managementAccount}:key/${input.keyId}`;
  const pin = { partition: input.partition, account: input.managementAccount, instanceArn: input.instanceArn, identityStoreId: input.identityStoreId, pendingInstance: 'wildcard' as const };
  return {
    Version: POLICY_VERSION,
    Statement: [
      {
        Sid: DELEGATED_ADMIN_SIDS.viaIdentityCenter,
        Effect: 'Allow',
        Action: [...ADMIN_VIA_SERVICE_ACTIONS],
        Resource: keyArn,
        Condition: conditionBlock({ operator: 'StringLike', key: 'kms:ViaService', value: viaServicePattern('sso', input.partition) }, instancePin(pin)),
      },
      {
        Sid: DELEGATED_ADMIN_SIDS.viaIdentityStore,
        Effect: 'Allow',
        Action: [...ADMIN_VIA_SERVICE_ACTIONS],
        Resource: keyArn,
        Condition: conditionBlock({ operator: 'StringLike', key: 'kms:ViaService', value: viaServicePattern('identitystore', input.partition) }, identityStorePin(pin)),
      },
      { Sid: DELEGATED_ADMIN_SIDS.describeKey, Effect: 'Allow', Action: DESCRIBE_KEY_ACTION, Resource: keyArn },
      { Sid: DELEGATED_ADMIN_SIDS.listAliases, Effect: 'Allow', Action: LIST_ALIASES_ACTION, Resource: '*' },
    ],
  };
}

/** cdktf token markers inside a string, e.g. `${TfToken[TOKEN.12]}`: left alone by escaping. */
const CDKTF_TOKEN = /\$\{TfToken\[[^\]]+\]\}/g;

/** Escapes `${` / `%{` for Terraform everywhere except inside cdktf token markers. */
export function escapeForTerraformKeepingTokens(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(CDKTF_TOKEN)) {
    out += escapeTerraformTemplate(text.slice(last, m.index)) + m[0];
    last = (m.index ?? 0) + m[0].length;
  }
  return out + escapeTerraformTemplate(text.slice(last));
}

export class DelegatedAdminAccess extends Construct {
  public readonly policy: IamPolicy;
  /** One per role name, in order. */
  public readonly attachments: readonly IamRolePolicyAttachment[];
  /** The policy model. */
  public readonly document: PolicyDocument;
  public readonly policyArn: string;

  constructor(scope: Construct, id: string, props: DelegatedAdminAccessProps) {
    super(scope, id);
    const problems = validateDelegatedAdminAccessProps(props);
    if (problems.length > 0) {
      throw new IdcCmkError(
        'INPUT_INVALID',
        `DelegatedAdminAccess "${id}": ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `- ${p}`).join('\n')}`,
        { details: problems },
      );
    }
    const partition = props.partition ?? DEFAULT_PARTITION;
    const instanceId = props.instanceArn.slice(props.instanceArn.lastIndexOf('/') + 1);
    this.document = buildDelegatedAdminPolicy({
      partition,
      managementAccount: props.managementAccount,
      keyId: keyIdOf(props.key),
      instanceArn: props.instanceArn,
      identityStoreId: props.identityStoreId,
    });
    this.policy = new IamPolicy(this, 'policy', {
      provider: props.provider,
      name: props.policyName ?? `IdentityCenterKeyAccess-${instanceId}`,
      path: props.policyPath ?? '/',
      description: props.description ?? `Use the IAM Identity Center customer managed key through Identity Center and Identity Store for ${props.instanceArn}`,
      policy: escapeForTerraformKeepingTokens(renderPolicy(this.document)),
      tags: props.tags && Object.keys(props.tags).length > 0 ? { ...props.tags } : undefined,
    });
    this.policyArn = this.policy.arn;
    this.attachments = (props.roleNames ?? []).map(
      (role) => new IamRolePolicyAttachment(this, `attach-${role}`, { provider: props.provider, role, policyArn: this.policy.arn }),
    );
  }
}

/** The key ID of a literal key ARN, or the value itself (an ID or a token). */
function keyIdOf(key: string): string {
  if (Token.isUnresolved(key)) return key;
  const m = /:key\/(.+)$/.exec(key);
  return m ? m[1] : key;
}

/** Every problem with the props, each naming the prop, the value received and what is allowed. */
export function validateDelegatedAdminAccessProps(props: DelegatedAdminAccessProps): readonly string[] {
  const problems: string[] = [];
  const partitionOk = props.partition === undefined || isPartition(props.partition);
  if (!partitionOk) problems.push(describeProblem('partition', props.partition, PARTITION_ALLOWED));
  const partition = partitionOk ? (props.partition ?? DEFAULT_PARTITION) : DEFAULT_PARTITION;
  const check = (field: string, value: unknown, pattern: RegExp, allowed: string): void => {
    if (typeof value === 'string' && Token.isUnresolved(value)) return;
    if (typeof value !== 'string' || !pattern.test(value)) problems.push(describeProblem(field, value, allowed));
  };

  check('delegatedAdminAccount', props.delegatedAdminAccount, ACCOUNT_PATTERN, ACCOUNT_ALLOWED);
  check('managementAccount', props.managementAccount, ACCOUNT_PATTERN, ACCOUNT_ALLOWED);
  if (props.delegatedAdminAccount === props.managementAccount) {
    problems.push(describeProblem('delegatedAdminAccount', props.delegatedAdminAccount,
      'an account other than managementAccount (the management account\'s own principals are covered by the key policy)'));
  }
  const keyArn = /^arn:([a-z-]+):kms:[a-z]{2}(?:-[a-z]+)+-\d{1,2}:(\d{12}):key\/(.+)$/.exec(props.key);
  const keyArnOk = keyArn !== null && keyArn[1] === partition && keyArn[2] === props.managementAccount && KEY_ID_PATTERN.test(keyArn[3]);
  if (!Token.isUnresolved(props.key) && !(KEY_ID_PATTERN.test(props.key) || keyArnOk)) {
    problems.push(describeProblem('key', props.key,
      `a KMS key ID (a UUID or "mrk-" followed by 32 lowercase hex characters) or a key ARN "arn:${partition}:kms:<region>:${props.managementAccount}:key/<key ID>"`));
  }
  check('instanceArn', props.instanceArn, instanceArnPattern(partition), instanceArnAllowed(partition));
  check('identityStoreId', props.identityStoreId, IDENTITY_STORE_ID_PATTERN, IDENTITY_STORE_ID_ALLOWED);
  const seen = new Set<string>();
  (props.roleNames ?? []).forEach((role, i) => {
    if (Token.isUnresolved(role)) {
      problems.push(describeProblem(`roleNames[${i}]`, role, 'a literal role name (it names a construct)'));
      return;
    }
    check(`roleNames[${i}]`, role, ROLE_NAME_PATTERN, ROLE_NAME_ALLOWED);
    if (seen.has(role)) problems.push(describeProblem(`roleNames[${i}]`, role, 'each role name once'));
    seen.add(role);
  });
  if (props.policyName !== undefined) check('policyName', props.policyName, POLICY_NAME_PATTERN, POLICY_NAME_ALLOWED);
  if (props.policyPath !== undefined && (props.policyPath.length > 512 || !POLICY_PATH_PATTERN.test(props.policyPath))) {
    problems.push(describeProblem('policyPath', props.policyPath, POLICY_PATH_ALLOWED));
  }
  checkProvider(problems, props);
  return problems;
}

function checkProvider(problems: string[], props: DelegatedAdminAccessProps): void {
  const provider = props.provider as TerraformProvider & { readonly allowedAccountIds?: string[] };
  if (!TerraformProvider.isTerraformProvider(provider)) {
    problems.push(describeProblem('provider', provider === undefined ? undefined : String(provider), 'an AwsProvider for the delegated-admin account'));
    return;
  }
  if (provider.terraformResourceType !== 'aws') {
    problems.push(describeProblem('provider', provider.terraformResourceType, 'an AwsProvider ("aws") for the delegated-admin account'));
  }
  if (provider.alias === undefined || provider.alias === '') {
    problems.push(describeProblem('provider.alias', provider.alias,
      'an alias: the stack\'s default provider is the management account, and the policy belongs in the delegated-admin account'));
  }
  const allowed = provider.allowedAccountIds;
  const literal = allowed !== undefined && !Token.isUnresolved(allowed) && allowed.every((a) => !Token.isUnresolved(a));
  if (allowed === undefined || (literal && (allowed.length !== 1 || allowed[0] !== props.delegatedAdminAccount))) {
    problems.push(describeProblem('provider.allowedAccountIds', allowed,
      `exactly [${JSON.stringify(props.delegatedAdminAccount)}] (the delegated-admin account), so this provider can never apply elsewhere`));
  }
}
