/**
 * Stable statement IDs of the key policy. Drift reports name statements by these, so they are a
 * contract: add, never rename.
 */
export const KEY_POLICY_SIDS = {
  keyAdministration: 'KeyAdministration',
  delegatedAdminFullAccess: 'DelegatedAdminFullAccess',
  identityCenterDescribeKey: 'IdentityCenterDescribeKey',
  identityCenterUseKey: 'IdentityCenterUseKey',
  identityStoreUseKey: 'IdentityStoreUseKey',
  adminsDescribeKey: 'AdminsDescribeKey',
  adminsViaIdentityCenter: 'AdminsViaIdentityCenter',
  adminsViaIdentityStore: 'AdminsViaIdentityStore',
  orgPrincipalsViaIdentityCenter: 'OrgPrincipalsViaIdentityCenter',
  orgPrincipalsViaIdentityStore: 'OrgPrincipalsViaIdentityStore',
  managedApplicationsViaIdentityCenter: 'ManagedApplicationsViaIdentityCenter',
  managedApplicationsViaIdentityStore: 'ManagedApplicationsViaIdentityStore',
  auditors: 'Auditors',
} as const;

export type KeyPolicySid = (typeof KEY_POLICY_SIDS)[keyof typeof KEY_POLICY_SIDS];

/** Sids of the IAM policy documents for principals in other accounts. */
export const CROSS_ACCOUNT_SIDS = {
  delegatedAdminUseKey: 'AllowCrossAccountKMSKeyUse',
  delegatedAdminListAliases: 'AllowListKMSKeyAliases',
  applicationAdminsViaIdentityCenter: 'AllowKMSKeyUseViaIdentityCenter',
  applicationAdminsViaIdentityStore: 'AllowKMSKeyUseViaIdentityStore',
} as const;
