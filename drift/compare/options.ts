import type { IgnoreRules } from '../ignore';

export interface CompareOptions {
  /** The parsed ignore file; ignored findings are counted in `TargetResult.ignored`. */
  readonly ignore?: IgnoreRules;
  /**
   * Tag keys (globs) managed by other tools, ignored on every target (e.g. `LastScanned`, `aws:*`):
   * tag findings on them are dropped and counted as ignored.
   */
  readonly ignoreTagKeys?: readonly string[];
  /** The organization ID, for the Identity Center access analysis of policies using aws:ResourceOrgID. */
  readonly orgId?: string;
}
