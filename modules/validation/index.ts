export { validateIdentityCenterKeyProps } from './validate-props';
export {
  KEY_POLICY_SIZE_ALLOWED, LOCKOUT_ALLOWED, PRINCIPAL_STAR_ALLOWED, PRINCIPAL_STAR_SCOPING_KEYS, validateKeyPolicy,
} from './validate-key-policy';
