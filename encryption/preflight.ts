/**
 * The pre-flight that runs before `encryption apply` changes anything. It reads the instance, the key
 * and the LIVE key policy, and refuses (PREFLIGHT_REFUSED, every failed check listed) unless
 * (aws-idc-cmk.md §0, §3):
 *
 * - the instance is ACTIVE and is an organization instance (account instances cannot use a CMK);
 * - the key exists, is Enabled, SYMMETRIC_DEFAULT / ENCRYPT_DECRYPT, Origin AWS_KMS, KeyManager CUSTOMER;
 * - the key is in the instance owner's account and the instance's Region;
 * - the key policy lets Identity Center and Identity Store use the key under THIS instance's encryption
 *   context (evaluated for meaning by `checkIdentityCenterAccess`, not string-matched).
 *
 * Reads only: DescribeInstance, DescribeKey, GetKeyPolicy.
 */
import { DescribeKeyCommand, GetKeyPolicyCommand, type KeyMetadata } from '@aws-sdk/client-kms';
import { DescribeOrganizationCommand } from '@aws-sdk/client-organizations';
import { DescribeInstanceCommand, type DescribeInstanceCommandOutput } from '@aws-sdk/client-sso-admin';
import { IdcCmkError, type ErrorCode } from '../core/errors';
import { awsErrorCode, describeAwsError, toIdcCmkError } from '../aws/errors';
import { parsePolicy } from '../policy/parse';
import { checkIdentityCenterAccess } from '../policy/identity-center';
import { identityStoreArnFor, parseInstanceArn, parseKeyArn } from './arns';
import type { EncryptionClients, InstanceTarget } from './types';

/** Stable IDs of the checks, in the order they are reported. Part of the JSON output contract. */
export const PREFLIGHT_CHECKS = [
  'instance-active',
  'instance-region',
  'organization-instance',
  'key-exists',
  'key-enabled',
  'key-spec',
  'key-usage',
  'key-origin',
  'key-manager',
  'key-account',
  'key-region',
  'key-policy',
] as const;
export type PreflightCheckId = (typeof PREFLIGHT_CHECKS)[number];

export interface PreflightCheck {
  readonly id: PreflightCheckId;
  readonly ok: boolean;
  /** What was found, and when it failed, what is required. */
  readonly message: string;
  /**
   * Set when the check could not be made (its read was throttled, denied or failed): the error code of
   * that read. Such a check is "could not check", never a refusal of the key.
   */
  readonly unchecked?: ErrorCode;
}

export interface PreflightInput extends InstanceTarget {
  readonly kmsKeyArn: string;
  readonly orgId?: string;
  /** The organization's management account: the instance must be owned by it (an organization instance). */
  readonly managementAccountId?: string;
}

export interface PreflightResult {
  readonly ok: boolean;
  readonly checks: readonly PreflightCheck[];
  /** The DescribeInstance response the checks were made on. */
  readonly instance: DescribeInstanceCommandOutput;
  readonly key?: KeyMetadata;
}

export const REQUIRED_KEY = {
  keyState: 'Enabled',
  keySpec: 'SYMMETRIC_DEFAULT',
  keyUsage: 'ENCRYPT_DECRYPT',
  origin: 'AWS_KMS',
  keyManager: 'CUSTOMER',
} as const;

export async function describeInstance(clients: EncryptionClients, target: InstanceTarget): Promise<DescribeInstanceCommandOutput> {
  try {
    return await clients.ssoAdmin(accessOf(target)).send(new DescribeInstanceCommand({ InstanceArn: target.instanceArn }));
  } catch (e) {
    const code = awsErrorCode(e);
    const hint = code === 'AWS_ACCESS_DENIED' || code === 'AWS_NOT_FOUND'
      ? `check that ${target.instanceArn} exists in ${target.region} and that the credentials${target.roleArn ? ` of ${target.roleArn}` : ''} may call sso:DescribeInstance`
      : undefined;
    throw toIdcCmkError('sso-admin:DescribeInstance', e, hint);
  }
}

export function accessOf(target: InstanceTarget): { region: string; roleArn?: string; externalId?: string } {
  return { region: target.region, ...(target.roleArn ? { roleArn: target.roleArn } : {}), ...(target.roleArn && target.externalId ? { externalId: target.externalId } : {}) };
}

/**
 * Runs every check it can and returns them all; never changes anything. `instance` is a DescribeInstance
 * response the caller already has (saves one call).
 */
export async function runPreflight(input: PreflightInput, clients: EncryptionClients, instance?: DescribeInstanceCommandOutput): Promise<PreflightResult> {
  const checks: PreflightCheck[] = [];
  const add = (id: PreflightCheckId, ok: boolean, message: string, unchecked?: ErrorCode): void => {
    checks.push({ id, ok, message, ...(unchecked ? { unchecked } : {}) });
  };
  const described = instance ?? (await describeInstance(clients, input));
  const owner = described.OwnerAccountId;
  const partition = parseInstanceArn(input.instanceArn)?.partition ?? 'aws';
  const keyArn = parseKeyArn(input.kmsKeyArn);
  if (!keyArn) throw new IdcCmkError('INPUT_INVALID', `kmsKeyArn: got ${JSON.stringify(input.kmsKeyArn)}; allowed: a KMS key ARN`);

  // The instance.
  add('instance-active', described.Status === 'ACTIVE', `instance status is ${described.Status ?? 'unknown'}${described.StatusReason ? ` (${described.StatusReason})` : ''}; required: ACTIVE`);
  if (described.PrimaryRegion !== undefined && described.PrimaryRegion !== input.region) {
    add('instance-region', false, `the instance's primary Region is ${described.PrimaryRegion}, not ${input.region}; run against the primary Region with a key there`);
  } else {
    add('instance-region', true, `instance in ${input.region}`);
  }
  const org = await organizationInstanceCheck(input, described, clients);
  add('organization-instance', org.ok, org.message);

  // The key's identity, from its ARN: known even when the key cannot be read.
  if (!owner) add('key-account', false, 'DescribeInstance returned no OwnerAccountId, so the key account cannot be checked');
  else add('key-account', keyArn.account === owner, keyArn.account === owner ? `key in the instance owner's account ${owner}` : `key is in account ${keyArn.account}; required: the instance owner's account ${owner} (Identity Center only uses a key in its own account)`);
  add('key-region', keyArn.region === input.region, keyArn.region === input.region ? `key in ${input.region}` : `key is in ${keyArn.region}; required: the instance's Region ${input.region}`);

  // The key itself, read in its own Region (so a wrong Region is reported as such, not as "not found").
  const kms = clients.kms({ ...accessOf(input), region: keyArn.region });
  let key: KeyMetadata | undefined;
  try {
    key = (await kms.send(new DescribeKeyCommand({ KeyId: input.kmsKeyArn }))).KeyMetadata;
    add('key-exists', key !== undefined, key ? `key ${key.Arn ?? input.kmsKeyArn} exists` : 'DescribeKey returned no KeyMetadata');
  } catch (e) {
    // NotFound answers the check (no such key); any other failure leaves it unanswered.
    const code = awsErrorCode(e);
    add('key-exists', false, `could not read key ${input.kmsKeyArn}: ${describeAwsError('kms:DescribeKey', e)}`, code === 'AWS_NOT_FOUND' ? undefined : code);
  }
  if (key) {
    const state = key.KeyState ?? 'unknown';
    const deletion = key.DeletionDate ? ` (deletion scheduled for ${key.DeletionDate.toISOString()})` : '';
    add('key-enabled', state === REQUIRED_KEY.keyState, `key state is ${state}${deletion}; required: ${REQUIRED_KEY.keyState}`);
    const spec = key.KeySpec ?? key.CustomerMasterKeySpec ?? 'unknown';
    add('key-spec', spec === REQUIRED_KEY.keySpec, `key spec is ${spec}; required: ${REQUIRED_KEY.keySpec} (symmetric)`);
    add('key-usage', key.KeyUsage === REQUIRED_KEY.keyUsage, `key usage is ${key.KeyUsage ?? 'unknown'}; required: ${REQUIRED_KEY.keyUsage}`);
    add('key-origin', key.Origin === REQUIRED_KEY.origin, `key origin is ${key.Origin ?? 'unknown'}; required: ${REQUIRED_KEY.origin} (no imported material, no custom key store)`);
    add('key-manager', key.KeyManager === REQUIRED_KEY.keyManager, `key manager is ${key.KeyManager ?? 'unknown'}; required: ${REQUIRED_KEY.keyManager} (a customer managed key)`);
    if (key.AWSAccountId && owner && key.AWSAccountId !== owner && keyArn.account === owner) {
      add('key-account', false, `DescribeKey says the key belongs to ${key.AWSAccountId}; required: ${owner}`);
    }
  }

  // The live key policy, evaluated for this instance's encryption context.
  if (key) {
    if (!owner || !described.IdentityStoreId) {
      add('key-policy', false, 'DescribeInstance returned no OwnerAccountId or IdentityStoreId, so the encryption context cannot be built');
    } else {
      const identityStoreArn = identityStoreArnFor(partition, owner, described.IdentityStoreId);
      try {
        const text = (await kms.send(new GetKeyPolicyCommand({ KeyId: input.kmsKeyArn, PolicyName: 'default' }))).Policy;
        const doc = parsePolicy(text ?? '', `key policy of ${input.kmsKeyArn}`);
        const access = checkIdentityCenterAccess(doc, {
          now: new Date(),
          account: owner,
          partition,
          region: input.region,
          instanceArn: input.instanceArn,
          identityStoreArn,
          keyArn: key.Arn ?? input.kmsKeyArn,
          ...(input.orgId ?? org.orgId ? { orgId: input.orgId ?? org.orgId } : {}),
        });
        add(
          'key-policy',
          access.ok,
          access.ok
            ? `the key policy lets Identity Center and Identity Store use the key for ${input.instanceArn} and ${identityStoreArn}`
            : `the key policy does not allow, under this instance's encryption context (${input.instanceArn}, ${identityStoreArn}): ${access.missing.map((m) => m.name).join(', ')}`,
        );
      } catch (e) {
        if (e instanceof IdcCmkError && e.code === 'POLICY_INVALID') {
          add('key-policy', false, `the key policy cannot be read as a policy: ${e.message}${e.details.length ? ` (${e.details.join('; ')})` : ''}`);
        } else {
          const code = awsErrorCode(e);
          const why = code === 'AWS_ACCESS_DENIED' ? " (GetKeyPolicy only works with the key owner's credentials)" : '';
          add('key-policy', false, `could not read the key policy: ${describeAwsError('kms:GetKeyPolicy', e)}${why}`, code === 'AWS_NOT_FOUND' ? undefined : code);
        }
      }
    }
  }

  const ordered = PREFLIGHT_CHECKS.flatMap((id) => {
    const forId = checks.filter((c) => c.id === id);
    // One entry per check: a later failure of the same check (key-account confirmed by DescribeKey) wins.
    const failed = forId.filter((c) => !c.ok);
    return failed.length > 0 ? [failed[failed.length - 1] as PreflightCheck] : forId.slice(-1);
  });
  return { ok: ordered.every((c) => c.ok), checks: ordered, instance: described, ...(key ? { key } : {}) };
}

/** What to fix, by which checks failed: the key, the instance, or the flags naming the organization. */
function preflightHint(failed: readonly string[]): string {
  const keyChecks = failed.filter((id) => id.startsWith('key-'));
  const parts = [
    ...(keyChecks.length > 0 ? ['fix the key (or choose another)'] : []),
    ...(failed.includes('organization-instance') ? ['check the instance is an organization instance and that --management-account / --org-id name its organization'] : []),
    ...(failed.some((id) => id.startsWith('instance-')) ? ['wait for the instance to be ACTIVE and use its primary Region'] : []),
  ];
  return `${parts.join('; ') || 'fix what the failed checks name'}, then run again; \`idc-cmk encryption apply --dry-run\` repeats the checks without changing anything`;
}

/**
 * Throws when a check failed: PREFLIGHT_REFUSED listing every failed check when one failed on what it
 * found; PREFLIGHT_INCOMPLETE when the only failures are checks that could not be made (a read
 * throttled, denied or failed: "could not check", not a verdict on the key). Returns when all passed.
 */
export function assertPreflight(result: PreflightResult, input: PreflightInput): void {
  if (result.ok) return;
  const failed = result.checks.filter((c) => !c.ok);
  const unchecked = failed.filter((c) => c.unchecked !== undefined);
  // A check that failed on what it found is a refusal, whatever else could not be checked.
  if (unchecked.length > 0 && unchecked.length === failed.length) {
    const codes = [...new Set(unchecked.map((c) => c.unchecked))];
    throw new IdcCmkError(
      'PREFLIGHT_INCOMPLETE',
      `could not finish the pre-flight for ${input.instanceArn} and ${input.kmsKeyArn}: ${unchecked.length} check${unchecked.length === 1 ? '' : 's'} could not be made (${codes.join(', ')}); nothing was changed`,
      {
        details: unchecked.map((c) => `${c.id}: could not check: ${c.message}`),
        hint: codes.includes('AWS_ACCESS_DENIED')
          ? "use credentials of the key's account that may call kms:DescribeKey and kms:GetKeyPolicy (--role-arn), then run again"
          : 'the reads failed on the AWS side (throttling, an outage): run again; `idc-cmk encryption apply --dry-run` repeats the checks without changing anything',
      },
    );
  }
  throw new IdcCmkError(
    'PREFLIGHT_REFUSED',
    `refusing to switch ${input.instanceArn} to ${input.kmsKeyArn}: ${failed.length} pre-flight check${failed.length === 1 ? '' : 's'} failed; nothing was changed`,
    {
      details: failed.map((c) => `${c.id}: ${c.message}`),
      hint: preflightHint(failed.map((c) => c.id)),
    },
  );
}

/**
 * Organization instance or account instance. AWS exposes no field for it: an organization instance is
 * the one owned by the organization's management account (account instances live in member or
 * standalone accounts and cannot use a customer managed key). So the check is that DescribeInstance's
 * OwnerAccountId is the management account the caller names; without that, it fails closed.
 */
/**
 * Only an organization instance can use a customer managed key, and an organization instance is the one
 * the organization's management account owns. Organizations says which account that is
 * (DescribeOrganization, called as the instance's account); `--management-account` is a cross-check,
 * and the only evidence when Organizations cannot be read.
 */
async function organizationInstanceCheck(
  input: PreflightInput,
  described: DescribeInstanceCommandOutput,
  clients: EncryptionClients,
): Promise<{ ok: boolean; message: string; orgId?: string }> {
  const owner = described.OwnerAccountId ?? 'an unknown account';
  const given = input.managementAccountId;
  let fromOrganizations: string | undefined;
  let orgId: string | undefined;
  let unreadable = 'no Organizations client';
  if (clients.organizations) {
    try {
      const organization = (await clients.organizations(accessOf(input)).send(new DescribeOrganizationCommand({}))).Organization;
      fromOrganizations = organization?.MasterAccountId;
      orgId = organization?.Id;
      if (fromOrganizations === undefined) unreadable = 'organizations:DescribeOrganization returned no MasterAccountId';
    } catch (e) {
      if ((e as { name?: string }).name === 'AWSOrganizationsNotInUseException') {
        return { ok: false, message: `account ${owner} is not in an organization (Organizations says so): its instance is an account instance, and only organization instances can use a customer managed key` };
      }
      unreadable = describeAwsError('organizations:DescribeOrganization', e);
    }
  }
  if (fromOrganizations !== undefined) {
    if (given !== undefined && given !== fromOrganizations) {
      return { ok: false, message: `--management-account says ${given}, but Organizations says the management account is ${fromOrganizations}` };
    }
    if (input.orgId !== undefined && orgId !== undefined && input.orgId !== orgId) {
      return { ok: false, message: `--org-id says ${input.orgId}, but Organizations says the instance's organization is ${orgId}` };
    }
    if (owner !== fromOrganizations) {
      return { ok: false, message: `the instance is owned by ${owner}, not by the organization's management account ${fromOrganizations} (Organizations): it is an account instance, and only organization instances can use a customer managed key` };
    }
    // The organization ID is known now: policies conditioned on aws:SourceOrgID / aws:ResourceOrgID are judged with it.
    return { ok: true, message: `organization instance: owned by the management account ${owner} (organizations:DescribeOrganization)`, ...(orgId ? { orgId } : {}) };
  }
  if (given === undefined) {
    return { ok: false, message: `cannot tell an organization instance from an account instance: ${unreadable}. Allow organizations:DescribeOrganization for the caller, or pass --management-account <id> (the instance owner is ${owner})` };
  }
  if (owner !== given) {
    return { ok: false, message: `the instance is owned by ${owner}, not by the management account ${given}: it is an account instance, and only organization instances can use a customer managed key` };
  }
  return { ok: true, message: `organization instance owned by the management account ${owner} (from --management-account; Organizations could not be read: ${unreadable})` };
}
