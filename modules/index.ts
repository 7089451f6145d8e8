/** Public API of the construct library: re-exports only. */
export * from './identity-center-key-props';
export * from './identity-center-key';
export * from './cross-account-policies';
export * from './policy/key-policy';
export * from './policy/sids';
export * from './validation';
export { escapeTerraformTemplate, unescapeTerraformTemplate } from './private/terraform-escape';
