/** `--format json`: the DriftReport itself, as documented in docs/drift-report.schema.json. */
import type { Renderer } from './types';

export const jsonRenderer: Renderer = {
  render: (report) => `${JSON.stringify(report, null, 2)}\n`,
};
