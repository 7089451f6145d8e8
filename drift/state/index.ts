/** Stage 1, READ STATE: state text -> parsed state -> ExpectedTarget. */
import type { ExpectedTarget } from '../model';
import { extractExpectedTarget } from './extract';
import { parseTerraformState } from './parse';
import type { StateText } from './sources';

export * from './types';
export { parseTerraformState, STATE_FORMAT_VERSION } from './parse';
export { extractExpectedTarget, targetNameFromSource, unwrapDynamic, TARGET_RECORD_KIND, ENCRYPTION_RECORD_KIND, type TargetRecord } from './extract';
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

/** Parse and extract in one step (throws IdcCmkError: STATE_INVALID, STATE_FOREIGN, STATE_NO_RESOURCES). */
export function expectedTargetFromText(state: StateText, targetName?: string): ExpectedTarget {
  return extractExpectedTarget(parseTerraformState(state.text, state.source), state.source, targetName ?? state.target);
}
