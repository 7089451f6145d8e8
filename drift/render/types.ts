import type { DriftReport } from '../model';

export const REPORT_FORMATS = ['human', 'json', 'markdown', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  /** ANSI colours (human format only; set on a TTY without NO_COLOR). */
  readonly color: boolean;
}

/** One renderer per format (driftctl's `Output`): a pure function of the report. */
export interface Renderer {
  render(report: DriftReport, options: RenderOptions): string;
}
