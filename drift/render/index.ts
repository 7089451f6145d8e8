/** Stage 5, RENDER: one renderer per format behind one interface. */
import { IdcCmkError } from '../../core/errors';
import type { DriftReport } from '../model';
import { humanRenderer } from './human';
import { jsonRenderer } from './json';
import { junitRenderer } from './junit';
import { markdownRenderer } from './markdown';
import { REPORT_FORMATS, type RenderOptions, type Renderer, type ReportFormat } from './types';

export { REPORT_FORMATS, type RenderOptions, type Renderer, type ReportFormat } from './types';

const RENDERERS: Readonly<Record<ReportFormat, Renderer>> = {
  human: humanRenderer,
  json: jsonRenderer,
  markdown: markdownRenderer,
  junit: junitRenderer,
};

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

export function renderReport(report: DriftReport, format: ReportFormat, options: RenderOptions): string {
  const renderer = RENDERERS[format];
  if (!renderer) throw new IdcCmkError('INPUT_INVALID', `Unknown report format ${JSON.stringify(format)}`, { details: [`allowed: ${REPORT_FORMATS.join(', ')}`] });
  return renderer.render(report, options);
}
