/** Public API of the construct library: re-exports only. */
export * from './identity-center-key-props';
export * from './identity-center-key';
export * from './cross-account-policies';
export * from './instance-encryption';
export * from './tamper-alarms';
export * from './delegated-admin-access';
export * from './policy/key-policy';
export * from './policy/sids';
export * from './validation';
export { escapeTerraformTemplate, unescapeTerraformTemplate } from './private/terraform-escape';
