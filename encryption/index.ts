/** The encryption switch: apply / revert / status and the pre-flight. Loads the AWS SDK, never cdktf. */
export * from './types';
export * from './arns';
export { applyEncryption, revertEncryption, encryptionStatus, describeEncryption, encryptionStateOf } from './switch';
export { runPreflight, assertPreflight, PREFLIGHT_CHECKS, REQUIRED_KEY } from './preflight';
export type { PreflightCheck, PreflightCheckId, PreflightInput, PreflightResult } from './preflight';
export { assertApplyOptions, assertRevertOptions } from './validate';
