/**
 * The findings registry: every drift finding's stable code, severity, title and remediation.
 * Data, not logic (prowler's `.metadata.json`, cdk-nag's rule packs): checks in `compare/` only decide
 * *whether* a finding applies and fill in the target, address, expected and actual values.
 *
 * Codes are part of the JSON output and the ignore file: add, never rename. Documented in docs/drift.md.
 */
import type { ChangeClass, Severity } from './model';

export interface FindingDefinition {
  readonly severity: Severity;
  /** One line, what is wrong, e.g. "Key is disabled". */
  readonly title: string;
  /** What to do about it. */
  readonly remediation: string;
  /** For policy findings: the class of the change. */
  readonly changeClass?: ChangeClass;
}

const REAPPLY = 'Run `cdktf deploy` for this target to restore the declared value, or change the declaration if the live value is intended.';

export const FINDINGS = {
  // --- key state ----------------------------------------------------------------------------------
  KEY_MISSING: {
    severity: 'critical',
    title: 'Key does not exist',
    remediation:
      'The key recorded in state is gone: Identity Center cannot decrypt its data. Restore from your recovery plan; if the instance still uses the key, contact AWS Support. Then re-deploy the target.',
  },
  KEY_DISABLED: {
    severity: 'critical',
    title: 'Key is disabled',
    remediation:
      'Identity Center cannot use a disabled key: sign-in and administration fail. Re-enable it now (`aws kms enable-key --key-id <key>`), then find out who disabled it (CloudTrail DisableKey).',
  },
  KEY_PENDING_DELETION: {
    severity: 'critical',
    title: 'Key is scheduled for deletion',
    remediation:
      'Cancel the deletion before the date (`aws kms cancel-key-deletion --key-id <key>`, then `aws kms enable-key`). A deleted key makes Identity Center data permanently unreadable.',
  },
  KEY_PENDING_REPLICA_DELETION: {
    severity: 'critical',
    title: 'Primary key is waiting for its replicas to be deleted',
    remediation:
      'The multi-Region primary is scheduled for deletion once its replicas are gone. Cancel the deletion on the primary and on every replica, then re-enable them.',
  },
  KEY_STATE_UNEXPECTED: {
    severity: 'high',
    title: 'Key state differs from state',
    remediation:
      'The key is in a state state does not declare (e.g. Unavailable: its custom key store is disconnected; PendingImport; or enabled where state says disabled). Bring it back to the declared state or re-deploy.',
  },
  KEY_SPEC_CHANGED: {
    severity: 'high',
    title: 'Key spec differs from state',
    remediation:
      'Identity Center needs a SYMMETRIC_DEFAULT key. The key spec cannot change in place: the state points at a different key than expected; import the right key or re-deploy.',
  },
  KEY_USAGE_CHANGED: {
    severity: 'high',
    title: 'Key usage differs from state',
    remediation:
      'Identity Center needs an ENCRYPT_DECRYPT key. Key usage cannot change in place: the state points at a different key than expected; import the right key or re-deploy.',
  },
  KEY_ORIGIN_UNEXPECTED: {
    severity: 'medium',
    title: 'Key material origin is not AWS_KMS',
    remediation:
      'Imported or external key material can expire or become unavailable. Use a key with AWS_KMS origin, or document the exception in the ignore file.',
  },
  MULTI_REGION_CHANGED: {
    severity: 'high',
    title: 'Multi-Region setting differs from state',
    remediation:
      'Multi-Region Identity Center needs a multi-Region key. The setting cannot change in place: check that the state points at the intended key.',
  },
  DESCRIPTION_CHANGED: {
    severity: 'low',
    title: 'Key description differs from state',
    remediation: REAPPLY,
  },
  // --- rotation -----------------------------------------------------------------------------------
  ROTATION_DISABLED: {
    severity: 'high',
    title: 'Automatic key rotation is off',
    remediation: 'Turn rotation back on (`aws kms enable-key-rotation --key-id <key>`) or re-deploy the target.',
  },
  ROTATION_ENABLED: {
    severity: 'info',
    title: 'Automatic key rotation is on but state says off',
    remediation: REAPPLY,
  },
  ROTATION_PERIOD_CHANGED: {
    severity: 'medium',
    title: 'Rotation period differs from state',
    remediation: REAPPLY,
  },
  // --- policy -------------------------------------------------------------------------------------
  POLICY_WIDENED: {
    severity: 'critical',
    title: 'Key policy grants more access than declared',
    remediation:
      'Someone widened the key policy. Review the added principals or actions (CloudTrail PutKeyPolicy), then re-deploy the target to restore the declared policy.',
    changeClass: 'security',
  },
  POLICY_IDC_ACCESS_REMOVED: {
    severity: 'critical',
    title: 'Key policy no longer lets Identity Center or Identity Store use the key',
    remediation:
      'Identity Center does not re-validate the key: users and admins will be locked out. Re-deploy the target now to restore the declared key policy.',
    changeClass: 'outage',
  },
  POLICY_PRINCIPAL_DELETED: {
    severity: 'medium',
    title: 'Key policy names a deleted principal (unique ID)',
    remediation:
      'KMS replaced a deleted role or user with its unique ID (AROA…/AIDA…). Recreating the role does not restore access: re-deploy the target to write the ARN again.',
    changeClass: 'change',
  },
  POLICY_CHANGED: {
    severity: 'medium',
    title: 'Key policy differs from state',
    remediation: 'Review the difference, then re-deploy the target or update the declaration.',
    changeClass: 'change',
  },
  POLICY_SID_RENAMED: {
    severity: 'info',
    title: 'Key policy statement renamed (Sid only)',
    remediation: 'Cosmetic: the statement means the same. Re-deploy to restore the declared Sid, or ignore.',
    changeClass: 'cosmetic',
  },
  // --- aliases ------------------------------------------------------------------------------------
  ALIAS_MISSING: {
    severity: 'medium',
    title: 'Alias does not exist',
    remediation: REAPPLY,
  },
  ALIAS_MOVED: {
    severity: 'high',
    title: 'Alias points at another key',
    remediation:
      'Anything that uses the alias now uses another key. Point it back (`aws kms update-alias`) or re-deploy the target.',
  },
  ALIAS_UNEXPECTED: {
    severity: 'low',
    title: 'Key has an alias that state does not declare',
    remediation: 'Remove the alias (`aws kms delete-alias`) or declare it.',
  },
  // --- tags ---------------------------------------------------------------------------------------
  TAG_MISSING: {
    severity: 'low',
    title: 'Declared tag is missing',
    remediation: REAPPLY,
  },
  TAG_CHANGED: {
    severity: 'low',
    title: 'Tag value differs from state',
    remediation: REAPPLY,
  },
  TAG_UNEXPECTED: {
    severity: 'info',
    title: 'Key has a tag that state does not declare',
    remediation: 'Declare the tag, remove it, or ignore its key in the ignore file (e.g. tags set by other tools).',
  },
  // --- replicas -----------------------------------------------------------------------------------
  REPLICA_MISSING: {
    severity: 'critical',
    title: 'Replica key does not exist',
    remediation:
      'Identity Center in that Region needs the replica. Re-deploy the target to recreate it, then check the Region\'s Identity Center replication.',
  },
  REPLICA_UNMANAGED: {
    severity: 'high',
    title: 'Key has a replica that state does not declare',
    remediation:
      'A replica made outside the stack carries the key material under its own key policy, in a Region nothing watches. Check its policy and who made it (CloudTrail ReplicateKey), then declare it in replicaRegions or schedule its deletion.',
  },
  REPLICA_DISABLED: {
    severity: 'critical',
    title: 'Replica key is disabled',
    remediation: 'Identity Center in that Region cannot use the key. Re-enable the replica (`aws kms enable-key --region <region>`).',
  },
  REPLICA_PENDING_DELETION: {
    severity: 'critical',
    title: 'Replica key is scheduled for deletion',
    remediation: 'Cancel the deletion before the date (`aws kms cancel-key-deletion --region <region>`), then re-enable the replica.',
  },
  REPLICA_DESCRIPTION_CHANGED: {
    severity: 'low',
    title: 'Replica key description differs from state',
    remediation: REAPPLY,
  },
  REPLICA_POLICY_WIDENED: {
    severity: 'critical',
    title: 'Replica key policy grants more access than declared',
    remediation: 'KMS does not sync replica policies. Review the change, then re-deploy the target.',
    changeClass: 'security',
  },
  REPLICA_POLICY_IDC_ACCESS_REMOVED: {
    severity: 'critical',
    title: 'Replica key policy no longer lets Identity Center or Identity Store use the key',
    remediation: 'Identity Center in that Region will fail. Re-deploy the target now to restore the replica policy.',
    changeClass: 'outage',
  },
  REPLICA_POLICY_PRINCIPAL_DELETED: {
    severity: 'medium',
    title: 'Replica key policy names a deleted principal (unique ID)',
    remediation: 'Re-deploy the target to write the principal ARN again.',
    changeClass: 'change',
  },
  REPLICA_POLICY_CHANGED: {
    severity: 'medium',
    title: 'Replica key policy differs from state',
    remediation: 'KMS does not sync replica policies. Review the difference, then re-deploy the target.',
    changeClass: 'change',
  },
  REPLICA_POLICY_SID_RENAMED: {
    severity: 'info',
    title: 'Replica key policy statement renamed (Sid only)',
    remediation: 'Cosmetic. Re-deploy to restore the declared Sid, or ignore.',
    changeClass: 'cosmetic',
  },
  REPLICA_TAG_MISSING: {
    severity: 'low',
    title: 'Declared replica tag is missing',
    remediation: REAPPLY,
  },
  REPLICA_TAG_CHANGED: {
    severity: 'low',
    title: 'Replica tag value differs from state',
    remediation: REAPPLY,
  },
  REPLICA_TAG_UNEXPECTED: {
    severity: 'info',
    title: 'Replica has a tag that state does not declare',
    remediation: 'Declare the tag, remove it, or ignore its key in the ignore file.',
  },
  // --- instance encryption ------------------------------------------------------------------------
  INSTANCE_MISSING: {
    severity: 'high',
    title: 'Identity Center instance does not exist',
    remediation: 'The instance recorded in state is gone, or the credentials point at the wrong account. Check the target\'s account and instance ARN.',
  },
  INSTANCE_SWITCHED_TO_AWS_OWNED_KEY: {
    severity: 'critical',
    title: 'Instance encryption switched back to the AWS owned key',
    remediation:
      'The instance no longer uses the customer managed key: the audit trail of key use and your control over the key are gone. Run `idc-cmk encryption apply` for this target.',
  },
  INSTANCE_USES_OTHER_KEY: {
    severity: 'critical',
    title: 'Instance is encrypted with another key',
    remediation: 'Find out who changed it (CloudTrail UpdateInstance), then run `idc-cmk encryption apply` for this target.',
  },
  INSTANCE_ENCRYPTION_UPDATING: {
    severity: 'medium',
    title: 'Instance encryption change is in progress',
    remediation: 'An encryption change is running. Re-run the check when it has finished; if nobody started one, look at CloudTrail UpdateInstance.',
  },
  INSTANCE_ENCRYPTION_UPDATE_FAILED: {
    severity: 'critical',
    title: 'Instance encryption update failed',
    remediation:
      'Read the reason: usually the key policy does not let Identity Center use the key. Fix the key (re-deploy the target), then run `idc-cmk encryption apply` again.',
  },
  INSTANCE_ENCRYPTION_CHANGED: {
    severity: 'medium',
    title: 'Instance uses the customer managed key but state expects the AWS owned key',
    remediation: 'Run `idc-cmk encryption apply` for this target, or update the declaration.',
  },
} as const satisfies Record<string, FindingDefinition>;

export type FindingCode = keyof typeof FINDINGS;

export const FINDING_CODES = Object.keys(FINDINGS).sort() as readonly FindingCode[];

export function isFindingCode(code: string): code is FindingCode {
  return Object.prototype.hasOwnProperty.call(FINDINGS, code);
}

export function findingDefinition(code: FindingCode): FindingDefinition {
  return FINDINGS[code];
}

/** Rank for sorting: critical first. */
export function severityRank(severity: Severity): number {
  const order: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
  return order[severity];
}

/** Report order: severity (critical first), then code, address, attribute. */
export function compareFindings(
  a: { readonly severity: Severity; readonly code: string; readonly address: string; readonly attribute: string; readonly target?: string },
  b: { readonly severity: Severity; readonly code: string; readonly address: string; readonly attribute: string; readonly target?: string },
): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    cmp(a.code, b.code) ||
    cmp(a.address, b.address) ||
    cmp(a.attribute, b.attribute) ||
    cmp(a.target ?? '', b.target ?? '')
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
