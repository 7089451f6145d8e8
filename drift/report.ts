/**
 * Stage 4, REPORT: per-target results -> one DriftReport (sorted, summarised), and its exit code.
 * The exit code mapping lives here and nowhere else in the drift pipeline (codes from cli/exit-codes.ts).
 */
import { ExitCode } from '../cli/exit-codes';
import { compareFindings } from './findings';
import { SEVERITIES, type DriftReport, type DriftSummary, type Severity, type TargetResult } from './model';

export const REPORT_SCHEMA_VERSION = 1 as const;

export interface ReportMeta {
  /** The idc-cmk version. */
  readonly version: string;
  /** @default new Date() */
  readonly now?: Date;
}

export function buildReport(results: readonly TargetResult[], meta: ReportMeta): DriftReport {
  const targets = [...results]
    .sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0))
    .map((r) => ({ ...r, findings: [...r.findings].sort(compareFindings) }));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'idc-cmk', version: meta.version },
    generatedAt: (meta.now ?? new Date()).toISOString(),
    summary: summarise(targets),
    targets,
  };
}

export function summarise(targets: readonly TargetResult[]): DriftSummary {
  const findings = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const t of targets) for (const f of t.findings) findings[f.severity]++;
  return {
    targets: targets.length,
    inSync: targets.filter((t) => t.status === 'in_sync').length,
    drifted: targets.filter((t) => t.status === 'drifted').length,
    unknown: targets.filter((t) => t.status === 'unknown').length,
    findings,
  };
}

/**
 * 1 (FAILURE) when any target could not be checked, even if drift was found elsewhere; else 2
 * (DIFFERENCES) when any target drifted; else 0 (OK). An empty report is 0 (an empty CI shard is
 * not a failure; finding no state at all is an error before the report).
 */
export function exitCodeForReport(report: DriftReport): ExitCode {
  if (report.targets.some((t) => t.status === 'unknown')) return ExitCode.FAILURE;
  if (report.targets.some((t) => t.status === 'drifted')) return ExitCode.DIFFERENCES;
  return ExitCode.OK;
}
