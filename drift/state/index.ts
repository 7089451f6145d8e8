/** Stage 1, READ STATE: state text -> parsed state -> ExpectedTarget. */
import type { ExpectedTarget } from '../model';
import { extractExpectedTarget, recordedTargetNames } from './extract';
import { parseTerraformState } from './parse';
import type { StateText } from './sources';

export * from './types';
export { parseTerraformState, STATE_FORMAT_VERSION } from './parse';
export { extractExpectedTarget, recordedTargetNames, targetNameFromSource, unwrapDynamic, TARGET_RECORD_KIND, ENCRYPTION_RECORD_KIND, type TargetRecord } from './extract';
export {
  discoverStateFiles,
  readStateFile,
  readS3States,
  readS3State,
  listS3StateKeys,
  readStdinState,
  parseS3Uri,
  workspaceKeyPrefix,
  targetFromFileName,
  S3_WORKSPACE_PREFIX,
  type StateText,
  type S3Location,
} from './sources';

/**
 * Parse and extract every target a state records: one for a cdktf stack's state; several when one
 * Terraform configuration holds several targets (a module each). Throws as expectedTargetFromText.
 */
export function expectedTargetsFromText(state: StateText): ExpectedTarget[] {
  const parsed = parseTerraformState(state.text, state.source);
  const names = state.target === undefined ? recordedTargetNames(parsed) : [];
  if (names.length <= 1) return [extractExpectedTarget(parsed, state.source, state.target)];
  return names.map((name) => extractExpectedTarget(parsed, state.source, name));
}

/** Parse and extract in one step (throws IdcCmkError: STATE_INVALID, STATE_FOREIGN, STATE_NO_RESOURCES). */
export function expectedTargetFromText(state: StateText, targetName?: string): ExpectedTarget {
  return extractExpectedTarget(parseTerraformState(state.text, state.source), state.source, targetName ?? state.target);
}
