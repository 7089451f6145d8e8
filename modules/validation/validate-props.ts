/**
 * Checks the construct's props. Returns every problem (never stops at the first), each naming the
 * prop, the value received and what is allowed.
 */
import { describeProblem } from '../../core/errors';
import { type IdentityCenterKeyProps, PENDING_INSTANCE_MODES } from '../identity-center-key-props';
import { DEFAULT_PARTITION, normalizeAlias } from '../private/defaults';
import {
  ACCOUNT_ALLOWED, ACCOUNT_PATTERN, ALIAS_ALLOWED, ALIAS_MAX_LENGTH, ALIAS_NAME_PATTERN, ALIAS_RESERVED_PREFIX,
  DELETION_WINDOW_ALLOWED, DELETION_WINDOW_MAX_DAYS, DELETION_WINDOW_MIN_DAYS, DESCRIPTION_ALLOWED,
  DESCRIPTION_MAX_LENGTH, IDENTITY_STORE_ID_ALLOWED, IDENTITY_STORE_ID_PATTERN, ORGANIZATION_ID_ALLOWED,
  ORGANIZATION_ID_PATTERN, PARTITION_ALLOWED, REGION_ALLOWED, REGION_PATTERN, ROTATION_PERIOD_ALLOWED,
  ROTATION_PERIOD_MAX_DAYS, ROTATION_PERIOD_MIN_DAYS, TAG_KEY_ALLOWED, TAG_KEY_MAX_LENGTH, TAG_RESERVED_PREFIX,
  TAG_VALUE_ALLOWED, TAG_VALUE_MAX_LENGTH, instanceArnAllowed, instanceArnPattern, principalArnAllowed,
  principalArnPattern,
} from '../private/limits';
import { isPartition, partitionOfRegion } from '../private/partitions';

type Problems = string[];

export function validateIdentityCenterKeyProps(props: IdentityCenterKeyProps): readonly string[] {
  const problems: Problems = [];
  const partition = isPartition(props.partition ?? DEFAULT_PARTITION) ? (props.partition ?? DEFAULT_PARTITION) : DEFAULT_PARTITION;

  if (props.partition !== undefined && !isPartition(props.partition)) {
    problems.push(describeProblem('partition', props.partition, PARTITION_ALLOWED));
  }
  checkPattern(problems, 'account', props.account, ACCOUNT_PATTERN, ACCOUNT_ALLOWED);
  checkPattern(problems, 'region', props.region, REGION_PATTERN, REGION_ALLOWED);
  if (props.targetName !== undefined && props.targetName.trim() === '') {
    problems.push(describeProblem('targetName', props.targetName, 'a non-empty name'));
  }
  checkInstance(problems, props, partition);
  if (props.organizationId !== undefined) {
    checkPattern(problems, 'organizationId', props.organizationId, ORGANIZATION_ID_PATTERN, ORGANIZATION_ID_ALLOWED);
  }
  if (props.description !== undefined && props.description.length > DESCRIPTION_MAX_LENGTH) {
    problems.push(describeProblem('description', props.description, DESCRIPTION_ALLOWED));
  }
  checkReplicas(problems, props);
  if (props.rotationPeriodInDays !== undefined) {
    checkRange(problems, 'rotationPeriodInDays', props.rotationPeriodInDays, ROTATION_PERIOD_MIN_DAYS, ROTATION_PERIOD_MAX_DAYS, ROTATION_PERIOD_ALLOWED);
  }
  if (props.deletionWindowInDays !== undefined) {
    checkRange(problems, 'deletionWindowInDays', props.deletionWindowInDays, DELETION_WINDOW_MIN_DAYS, DELETION_WINDOW_MAX_DAYS, DELETION_WINDOW_ALLOWED);
  }
  checkAliases(problems, props.aliases);
  for (const field of ['administrators', 'identityCenterAdministrators', 'auditors'] as const) {
    checkPrincipals(problems, field, props[field], partition);
  }
  checkPrincipalScope(problems, props);
  checkRegionPartition(problems, props.region, 'region', partition);
  (props.replicaRegions ?? []).forEach((r, i) => checkRegionPartition(problems, r, `replicaRegions[${i}]`, partition));
  checkExtraStatementPrincipals(problems, props, partition);
  checkTags(problems, props.tags);
  return problems;
}

function checkPattern(problems: Problems, field: string, value: unknown, pattern: RegExp, allowed: string): void {
  if (typeof value !== 'string' || !pattern.test(value)) problems.push(describeProblem(field, value, allowed));
}

function checkRange(problems: Problems, field: string, value: number, min: number, max: number, allowed: string): void {
  if (!Number.isInteger(value) || value < min || value > max) problems.push(describeProblem(field, value, allowed));
}

function checkInstance(problems: Problems, props: IdentityCenterKeyProps, partition: string): void {
  if (props.instanceArn !== undefined) {
    checkPattern(problems, 'instanceArn', props.instanceArn, instanceArnPattern(partition), instanceArnAllowed(partition));
  }
  if (props.identityStoreId !== undefined) {
    checkPattern(problems, 'identityStoreId', props.identityStoreId, IDENTITY_STORE_ID_PATTERN, IDENTITY_STORE_ID_ALLOWED);
  }
  if (props.instanceOwnerAccount !== undefined && props.instanceOwnerAccount !== props.account) {
    problems.push(describeProblem('instanceOwnerAccount', props.instanceOwnerAccount,
      `the key account ${JSON.stringify(props.account)}: Identity Center only accepts a key in the instance's own account`));
  }
  if (props.instanceRegion !== undefined && props.instanceRegion !== props.region) {
    problems.push(describeProblem('instanceRegion', props.instanceRegion,
      `the key Region ${JSON.stringify(props.region)}: Identity Center only accepts a key in the instance's own Region`));
  }
  if (props.pendingInstance !== undefined && !PENDING_INSTANCE_MODES.includes(props.pendingInstance)) {
    problems.push(describeProblem('pendingInstance', props.pendingInstance, `one of ${PENDING_INSTANCE_MODES.map((m) => `"${m}"`).join(', ')}`));
  }
}

function checkReplicas(problems: Problems, props: IdentityCenterKeyProps): void {
  const replicas = props.replicaRegions ?? [];
  if (replicas.length > 0 && props.multiRegion === false) {
    problems.push(describeProblem('replicaRegions', replicas, 'no replica Regions unless multiRegion is true'));
  }
  const seen = new Set<string>();
  replicas.forEach((r, i) => {
    const field = `replicaRegions[${i}]`;
    if (!REGION_PATTERN.test(r)) problems.push(describeProblem(field, r, REGION_ALLOWED));
    else if (r === props.region) problems.push(describeProblem(field, r, `a Region other than the primary Region ${JSON.stringify(props.region)}`));
    else if (seen.has(r)) problems.push(describeProblem(field, r, 'each Region once'));
    seen.add(r);
  });
}

function checkAliases(problems: Problems, aliases: readonly string[] | undefined): void {
  if (aliases === undefined) return;
  if (aliases.length === 0) {
    problems.push(describeProblem('aliases', aliases, 'one or more alias names'));
    return;
  }
  const seen = new Set<string>();
  aliases.forEach((raw, i) => {
    const name = normalizeAlias(raw);
    const field = `aliases[${i}]`;
    const ok = name.length <= ALIAS_MAX_LENGTH && ALIAS_NAME_PATTERN.test(name) && !name.startsWith(ALIAS_RESERVED_PREFIX);
    if (!ok) problems.push(describeProblem(field, raw, ALIAS_ALLOWED));
    else if (seen.has(name)) problems.push(describeProblem(field, raw, 'each alias once'));
    seen.add(name);
  });
}

function checkPrincipals(problems: Problems, field: string, values: readonly string[] | undefined, partition: string): void {
  const pattern = principalArnPattern(partition);
  (values ?? []).forEach((v, i) => {
    if (!pattern.test(v)) problems.push(describeProblem(`${field}[${i}]`, v, principalArnAllowed(partition)));
  });
}

function checkPrincipalScope(problems: Problems, props: IdentityCenterKeyProps): void {
  const delegated = new Set<string>();
  (props.delegatedAdminAccounts ?? []).forEach((a, i) => {
    const field = `delegatedAdminAccounts[${i}]`;
    if (!ACCOUNT_PATTERN.test(a)) problems.push(describeProblem(field, a, ACCOUNT_ALLOWED));
    else if (a === props.account) problems.push(describeProblem(field, a, 'a member account other than the management (key) account'));
    else if (delegated.has(a)) problems.push(describeProblem(field, a, 'each account once'));
    delegated.add(a);
  });
  // Identity Center administrators act through the management or a delegated-admin account only.
  const adminAccounts = [props.account, ...delegated];
  (props.identityCenterAdministrators ?? []).forEach((arn, i) => {
    const account = /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1];
    if (account !== undefined && !adminAccounts.includes(account)) {
      problems.push(describeProblem(`identityCenterAdministrators[${i}]`, arn,
        `a principal in the management account ${props.account}${delegated.size > 0 ? ` or a delegatedAdminAccounts account (${[...delegated].join(', ')})` : ' (or add its account to delegatedAdminAccounts)'}`));
    }
  });
  // KMS serves key administration and most reads to principals of the key's own account only.
  const sameAccountOnly: Record<'administrators' | 'auditors', string> = {
    administrators: 'key administration (PutKeyPolicy, ScheduleKeyDeletion, CreateAlias, ...) is not available across accounts',
    auditors: 'GetKeyPolicy, ListResourceTags and ListAliases are not available across accounts',
  };
  for (const field of ['administrators', 'auditors'] as const) {
    if (props.account === undefined || !ACCOUNT_PATTERN.test(props.account)) continue;
    (props[field] ?? []).forEach((arn, i) => {
      const account = ACCOUNT_PATTERN.test(arn) ? arn : /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1];
      if (account !== undefined && account !== props.account) {
        problems.push(describeProblem(`${field}[${i}]`, arn, `a principal in the key account ${props.account} (${sameAccountOnly[field]})`));
      }
    });
  }
  if (props.allowDelegatedAdminFullAccess === true && (props.delegatedAdminAccounts ?? []).length === 0) {
    problems.push(describeProblem('allowDelegatedAdminFullAccess', true, 'true only with one or more delegatedAdminAccounts'));
  }
  for (const field of ['managedApplications', 'organizationPrincipals'] as const) {
    if (props[field] === true && props.organizationId === undefined) {
      problems.push(describeProblem(field, true, 'true only with organizationId (the statements are scoped to the organization)'));
    }
  }
}

function checkRegionPartition(problems: Problems, region: string, field: string, partition: string): void {
  if (!REGION_PATTERN.test(region)) return;
  const expected = partitionOfRegion(region);
  if (expected !== partition) problems.push(describeProblem(field, region, `a Region of the partition ${JSON.stringify(partition)} (${region} is in ${JSON.stringify(expected)}; set partition accordingly)`));
}

/** AWS principals in extra statements: `*`, a 12-digit account, or an IAM principal ARN of this partition. */
function checkExtraStatementPrincipals(problems: Problems, props: IdentityCenterKeyProps, partition: string): void {
  const arn = new RegExp(`^arn:${partition}:(iam|sts)::\\d{12}:(root|role/.+|user/.+|assumed-role/.+|federated-user/.+)$`);
  (props.extraStatements ?? []).forEach((s, i) => {
    for (const key of ['Principal', 'NotPrincipal'] as const) {
      const p = s[key];
      if (p === undefined || p === '*') continue;
      const values = p.AWS === undefined ? [] : typeof p.AWS === 'string' ? [p.AWS] : p.AWS;
      values.forEach((v) => {
        if (typeof v !== 'string' || !(v === '*' || /^\d{12}$/.test(v) || arn.test(v))) {
          problems.push(describeProblem(`extraStatements[${i}].${key}.AWS`, v, `"*", a 12-digit account ID or an IAM principal ARN (arn:${partition}:iam::<account>:role/...)`));
        }
      });
    }
  });
}

function checkTags(problems: Problems, tags: Readonly<Record<string, string>> | undefined): void {
  for (const [k, v] of Object.entries(tags ?? {})) {
    if (k.length === 0 || k.length > TAG_KEY_MAX_LENGTH || k.startsWith(TAG_RESERVED_PREFIX)) {
      problems.push(describeProblem('tags key', k, TAG_KEY_ALLOWED));
    }
    if (typeof v !== 'string' || v.length > TAG_VALUE_MAX_LENGTH) problems.push(describeProblem(`tags[${JSON.stringify(k)}]`, v, TAG_VALUE_ALLOWED));
  }
}
