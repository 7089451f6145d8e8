/**
 * What IAM Identity Center and Identity Store need from the key policy, as access requests to evaluate
 * (aws-idc-cmk.md §1A, §1C, §1D): both service principals call Decrypt, ReEncryptTo, ReEncryptFrom and
 * GenerateDataKeyWithoutPlaintext with this instance's encryption context, and DescribeKey without one.
 * Used by the encryption pre-flight, the local AWS emulator's UpdateInstance and the drift `outage` class.
 */
import type { PolicyDocument } from './types';
import { evaluatePolicy, type AccessRequest, type ContextValue } from './evaluate';
import { DEFAULT_PARTITION } from './private/values';

export interface IdentityCenterContext {
  /** The instance's (management) account, which owns the key. */
  readonly account: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** The instance's Region (adds kms:ViaService-free context such as aws:RequestedRegion). */
  readonly region?: string;
  /** `arn:aws:sso:::instance/ssoins-...`. @default a placeholder ARN that no pinned policy names */
  readonly instanceArn?: string;
  /** `arn:aws:identitystore::<account>:identitystore/d-...`. @default a placeholder ARN */
  readonly identityStoreArn?: string;
  /** The organization ID (`o-...`), for aws:ResourceOrgID / aws:SourceOrgID. */
  readonly orgId?: string;
  /** The key ARN; when omitted the probes match `"Resource": "*"` only. */
  readonly keyArn?: string;
  /**
   * When the requests happen: sets aws:CurrentTime and aws:EpochTime, so a policy conditioned on time
   * (a Deny from a date on) is judged as AWS would judge it then.
   * @default - no time keys (this module reads no clock; conditions on them are not met)
   */
  readonly now?: Date;
}

export type IdentityCenterService = 'sso' | 'identitystore';

export interface AccessProbe {
  /** e.g. `sso.amazonaws.com kms:Decrypt`. */
  readonly name: string;
  readonly service: IdentityCenterService;
  readonly request: AccessRequest;
}

export const SERVICE_PRINCIPALS: Readonly<Record<IdentityCenterService, string>> = {
  sso: 'sso.amazonaws.com',
  identitystore: 'identitystore.amazonaws.com',
};

/** The encryption-context key each service puts in every request, naming its instance or store. */
export const ENCRYPTION_CONTEXT_KEYS: Readonly<Record<IdentityCenterService, string>> = {
  sso: 'aws:sso:instance-arn',
  identitystore: 'aws:identitystore:identitystore-arn',
};

/** The second encryption-context key Identity Center sends (encryption-at-rest page). */
export const TENANT_KEY_ID = 'tenant-key-id';

/** Actions both services call with an encryption context. */
export const IDENTITY_CENTER_CRYPTO_ACTIONS = [
  'kms:Decrypt',
  'kms:ReEncryptTo',
  'kms:ReEncryptFrom',
  'kms:GenerateDataKeyWithoutPlaintext',
] as const;

/** Called without an encryption context (§1C: never pin DescribeKey to one). */
export const IDENTITY_CENTER_METADATA_ACTIONS = ['kms:DescribeKey'] as const;

const PLACEHOLDER_INSTANCE_ID = 'ssoins-0000000000000000';
const PLACEHOLDER_STORE_ID = 'd-0000000000';

export function instanceArnOf(ctx: IdentityCenterContext): string {
  return ctx.instanceArn ?? `arn:${ctx.partition ?? DEFAULT_PARTITION}:sso:::instance/${PLACEHOLDER_INSTANCE_ID}`;
}

export function identityStoreArnOf(ctx: IdentityCenterContext): string {
  return (
    ctx.identityStoreArn ??
    `arn:${ctx.partition ?? DEFAULT_PARTITION}:identitystore::${ctx.account}:identitystore/${PLACEHOLDER_STORE_ID}`
  );
}

/** The last path segment of an ARN: `ssoins-...` or `d-...`. */
function resourceIdOf(arn: string): string {
  return arn.split('/').pop() ?? arn;
}

/** The context keys a real request from the service carries, whatever the action. */
function baseContext(ctx: IdentityCenterContext, service: IdentityCenterService): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {
    'aws:SourceAccount': ctx.account,
    'aws:ResourceAccount': ctx.account,
    'aws:PrincipalIsAWSService': true,
    'aws:PrincipalServiceName': SERVICE_PRINCIPALS[service],
    'aws:SecureTransport': true,
  };
  if (ctx.orgId) {
    context['aws:ResourceOrgID'] = ctx.orgId;
    context['aws:SourceOrgID'] = ctx.orgId;
  }
  if (ctx.region) context['aws:RequestedRegion'] = ctx.region;
  if (ctx.now) {
    context['aws:CurrentTime'] = ctx.now.toISOString();
    context['aws:EpochTime'] = String(Math.floor(ctx.now.getTime() / 1000));
  }
  return context;
}

function encryptionContext(ctx: IdentityCenterContext, service: IdentityCenterService): Record<string, ContextValue> {
  const arn = service === 'sso' ? instanceArnOf(ctx) : identityStoreArnOf(ctx);
  const key = ENCRYPTION_CONTEXT_KEYS[service];
  return {
    'kms:EncryptionContextKeys': [key, TENANT_KEY_ID],
    [`kms:EncryptionContext:${key}`]: arn,
    [`kms:EncryptionContext:${TENANT_KEY_ID}`]: resourceIdOf(arn),
  };
}

export function identityCenterProbes(ctx: IdentityCenterContext): AccessProbe[] {
  const probes: AccessProbe[] = [];
  for (const service of ['sso', 'identitystore'] as const) {
    const principal = { type: 'Service' as const, id: SERVICE_PRINCIPALS[service] };
    const resource = ctx.keyArn !== undefined ? { resource: ctx.keyArn } : {};
    for (const action of IDENTITY_CENTER_CRYPTO_ACTIONS) {
      probes.push({
        name: `${principal.id} ${action}`,
        service,
        request: { principal, action, ...resource, context: { ...baseContext(ctx, service), ...encryptionContext(ctx, service) } },
      });
    }
    for (const action of IDENTITY_CENTER_METADATA_ACTIONS) {
      probes.push({ name: `${principal.id} ${action}`, service, request: { principal, action, ...resource, context: baseContext(ctx, service) } });
    }
  }
  return probes;
}

export interface IdentityCenterAccess {
  readonly ok: boolean;
  /** Probes the policy does not allow (implicitly or explicitly denied). */
  readonly missing: AccessProbe[];
}

export function checkIdentityCenterAccess(doc: PolicyDocument, ctx: IdentityCenterContext): IdentityCenterAccess {
  const missing = identityCenterProbes(ctx).filter((probe) => evaluatePolicy(doc, probe.request).decision !== 'allow');
  return { ok: missing.length === 0, missing };
}
