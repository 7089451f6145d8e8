/**
 * The pure stages the pipeline calls (compare, report), gathered in one place so the pipeline's
 * imports show its shape: read state -> read live -> compare -> report.
 */
export { compareTarget } from '../compare';
export { buildReport } from '../report';
export { NO_IGNORE_RULES, parseIgnoreFile } from '../ignore';
export type { IgnoreRules } from '../ignore';
