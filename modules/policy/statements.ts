/**
 * One builder per key-policy template, each with a stable Sid. Sources:
 * - current baseline: https://docs.aws.amazon.com/singlesignon/latest/userguide/baseline-KMS-key-policy.html
 * - advanced (instance pinning): https://docs.aws.amazon.com/singlesignon/latest/userguide/advanced-kms-policy.html
 */
import type { PolicyStatement } from '../../policy/types';
import type { AwsPartition } from '../identity-center-key-props';
import {
  ADMIN_VIA_SERVICE_ACTIONS, AUDITOR_ACTIONS, DECRYPT_ONLY_ACTIONS, DESCRIBE_KEY_ACTION, KEY_ADMIN_ACTIONS, KMS_ALL,
  SERVICE_USE_ACTIONS,
} from '../private/kms-actions';
import { principalArnAccount } from '../private/limits';
import {
  IDENTITYSTORE_SERVICE_PRINCIPAL, SSO_SERVICE_PRINCIPAL, accountRootArn, viaServicePattern,
} from '../private/partitions';
import { type ConditionClause, conditionBlock, oneOrMany } from './conditions';
import { KEY_POLICY_SIDS as SID } from './sids';

/** Everything the builders need, defaults applied. */
export interface StatementContext {
  readonly partition: AwsPartition;
  /** The key (and instance) account. */
  readonly account: string;
  readonly instancePin: ConditionClause;
  readonly identityStorePin: ConditionClause;
}

/** Which of the two services a statement is about. */
export type IdentityService = 'sso' | 'identitystore';

const RESOURCE_THIS_KEY = '*';

/**
 * Account-root principals for principal ARN patterns, narrowed with `ArnLike aws:PrincipalArn`
 * (role ARNs in conditions are not turned into unique IDs, so re-created roles keep access). A root
 * ARN in the list means "anyone in that account"; when every pattern is a root there is no condition.
 */
export function narrowedAccountPrincipals(partition: AwsPartition, patterns: readonly string[]): {
  readonly roots: readonly string[];
  readonly narrowing?: ConditionClause;
} {
  const accounts = [...new Set(patterns.map(principalArnAccount))];
  const roots = accounts.map((a) => accountRootArn(partition, a));
  if (patterns.every((p) => p.endsWith(':root'))) return { roots };
  const values = patterns.map((p) => (p.endsWith(':root') ? `arn:${partition}:iam::${principalArnAccount(p)}:*` : p));
  return { roots, narrowing: { operator: 'ArnLike', key: 'aws:PrincipalArn', value: oneOrMany([...new Set(values)]) } };
}

/** Who may manage the key (and so keep it manageable: KMS's lockout check). */
export function keyAdministrationStatement(ctx: StatementContext, administrators: readonly string[]): PolicyStatement {
  const { roots, narrowing } = narrowedAccountPrincipals(ctx.partition, administrators);
  return {
    Sid: SID.keyAdministration,
    Effect: 'Allow',
    Principal: { AWS: oneOrMany(roots) },
    Action: KEY_ADMIN_ACTIONS,
    Resource: RESOURCE_THIS_KEY,
    Condition: conditionBlock(narrowing),
  };
}

/** AWS's widest template (`AllowIdentityCenterAdminAccounts`) for the delegated-admin roots: only by name. */
export function delegatedAdminFullAccessStatement(ctx: StatementContext, delegatedAdminAccounts: readonly string[]): PolicyStatement {
  return {
    Sid: SID.delegatedAdminFullAccess,
    Effect: 'Allow',
    Principal: { AWS: oneOrMany(delegatedAdminAccounts.map((a) => accountRootArn(ctx.partition, a))) },
    Action: KMS_ALL,
    Resource: RESOURCE_THIS_KEY,
  };
}

/** Both services may read key metadata; no encryption context (DescribeKey never carries one). */
export function identityCenterDescribeKeyStatement(ctx: StatementContext): PolicyStatement {
  return {
    Sid: SID.identityCenterDescribeKey,
    Effect: 'Allow',
    Principal: { Service: [IDENTITYSTORE_SERVICE_PRINCIPAL, SSO_SERVICE_PRINCIPAL] },
    Action: DESCRIBE_KEY_ACTION,
    Resource: RESOURCE_THIS_KEY,
    Condition: conditionBlock(sourceAccount(ctx)),
  };
}

/** The service itself uses the key, for this account and pinned to this instance (or identity store). */
export function serviceUseKeyStatement(ctx: StatementContext, service: IdentityService): PolicyStatement {
  const sso = service === 'sso';
  return {
    Sid: sso ? SID.identityCenterUseKey : SID.identityStoreUseKey,
    Effect: 'Allow',
    Principal: { Service: sso ? SSO_SERVICE_PRINCIPAL : IDENTITYSTORE_SERVICE_PRINCIPAL },
    Action: SERVICE_USE_ACTIONS,
    Resource: RESOURCE_THIS_KEY,
    Condition: conditionBlock(sourceAccount(ctx), pinFor(ctx, service)),
  };
}

/** Identity Center administrators (management and delegated-admin accounts) through one service. */
export function adminsViaServiceStatement(
  ctx: StatementContext, service: IdentityService, administrators: readonly string[],
): PolicyStatement {
  const { roots, narrowing } = narrowedAccountPrincipals(ctx.partition, administrators);
  return {
    Sid: service === 'sso' ? SID.adminsViaIdentityCenter : SID.adminsViaIdentityStore,
    Effect: 'Allow',
    Principal: { AWS: oneOrMany(roots) },
    Action: ADMIN_VIA_SERVICE_ACTIONS,
    Resource: RESOURCE_THIS_KEY,
    Condition: conditionBlock(narrowing, viaService(ctx, service), pinFor(ctx, service)),
  };
}

/** Identity Center administrators may read key metadata (the console and CLI call DescribeKey). */
export function adminsDescribeKeyStatement(ctx: StatementContext, administrators: readonly string[]): PolicyStatement {
  const { roots, narrowing } = narrowedAccountPrincipals(ctx.partition, administrators);
  return {
    Sid: SID.adminsDescribeKey,
    Effect: 'Allow',
    Principal: { AWS: oneOrMany(roots) },
    Action: DESCRIBE_KEY_ACTION,
    Resource: RESOURCE_THIS_KEY,
    Condition: conditionBlock(narrowing),
  };
}

/** IAM principals of the organization (application admins using forward access sessions), decrypt only. */
export function orgPrincipalsViaServiceStatement(ctx: StatementContext, service: IdentityService, organizationId: string): PolicyStatement {
  return {
    Sid: service === 'sso' ? SID.orgPrincipalsViaIdentityCenter : SID.orgPrincipalsViaIdentityStore,
    Effect: 'Allow',
    Principal: '*',
    Action: oneOrMany(DECRYPT_ONLY_ACTIONS),
    Resource: RESOURCE_THIS_KEY,
    Condition: conditionBlock(
      { operator: 'StringEquals', key: 'aws:PrincipalOrgID', value: organizationId },
      viaService(ctx, service),
      pinFor(ctx, service),
    ),
  };
}

/** AWS managed applications of the organization, decrypt only. */
export function managedApplicationsViaServiceStatement(ctx: StatementContext, service: IdentityService, organizationId: string): PolicyStatement {
  return {
    Sid: service === 'sso' ? SID.managedApplicationsViaIdentityCenter : SID.managedApplicationsViaIdentityStore,
    Effect: 'Allow',
    Principal: '*',
    Action: oneOrMany(DECRYPT_ONLY_ACTIONS),
    Resource: RESOURCE_THIS_KEY,
    Condition: conditionBlock(
      { operator: 'Bool', key: 'aws:PrincipalIsAWSService', value: 'true' },
      { operator: 'StringEquals', key: 'aws:SourceOrgID', value: organizationId },
      viaService(ctx, service),
      pinFor(ctx, service),
    ),
  };
}

/** Read-only auditors: metadata, policy, rotation, tags. No cryptography, no writes. */
export function auditorsStatement(ctx: StatementContext, auditors: readonly string[]): PolicyStatement {
  const { roots, narrowing } = narrowedAccountPrincipals(ctx.partition, auditors);
  return {
    Sid: SID.auditors,
    Effect: 'Allow',
    Principal: { AWS: oneOrMany(roots) },
    Action: AUDITOR_ACTIONS,
    Resource: RESOURCE_THIS_KEY,
    Condition: conditionBlock(narrowing),
  };
}

function sourceAccount(ctx: StatementContext): ConditionClause {
  return { operator: 'StringEquals', key: 'aws:SourceAccount', value: ctx.account };
}

function viaService(ctx: StatementContext, service: IdentityService): ConditionClause {
  return { operator: 'StringLike', key: 'kms:ViaService', value: viaServicePattern(service, ctx.partition) };
}

function pinFor(ctx: StatementContext, service: IdentityService): ConditionClause {
  return service === 'sso' ? ctx.instancePin : ctx.identityStorePin;
}
