/**
 * The default format, for people at a terminal: a summary line, then per target its status, each
 * finding with severity, expected -> actual and the fix, the unified diff of differing policies, and
 * why a target could not be checked. Colours only when asked.
 */
import type { DriftReport, Finding, Severity, TargetResult } from '../model';
import { SEVERITIES } from '../model';
import { STATUS_LABEL, plural, policyDiffsOf, policyPatch, showValue } from './text';
import type { RenderOptions, Renderer } from './types';

const ANSI = { red: 31, green: 32, yellow: 33, magenta: 35, cyan: 36, dim: 2, bold: 1 } as const;
type Style = keyof typeof ANSI;

const SEVERITY_STYLE: Record<Severity, Style> = { critical: 'magenta', high: 'red', medium: 'yellow', low: 'cyan', info: 'dim' };
const STATUS_MARK = { in_sync: 'OK  ', drifted: 'DRIFT', unknown: 'ERROR' } as const;
const STATUS_STYLE = { in_sync: 'green', drifted: 'red', unknown: 'yellow' } as const satisfies Record<string, Style>;

export const humanRenderer: Renderer = {
  render(report: DriftReport, options: RenderOptions): string {
    const paint = (style: Style, text: string): string => (options.color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text);
    const lines: string[] = [];
    for (const t of report.targets) lines.push(...renderTarget(t, paint), '');
    lines.push(summaryLine(report, paint));
    return `${lines.join('\n')}\n`;
  },
};

function renderTarget(t: TargetResult, paint: (s: Style, x: string) => string): string[] {
  const where = [t.account, t.region].filter(Boolean).join(' ');
  const counts = [t.findings.length ? plural(t.findings.length, 'finding') : '', t.ignored ? `${t.ignored} ignored` : ''].filter(Boolean).join(', ');
  const head = `${paint(STATUS_STYLE[t.status], STATUS_MARK[t.status].padEnd(5))} ${paint('bold', t.target)}${where ? ` (${where})` : ''}: ${STATUS_LABEL[t.status]}${counts ? ` (${counts})` : ''}`;
  const out = [head];
  for (const e of t.errors) out.push(`      ${paint('yellow', e.code)} ${e.message}`);
  for (const f of t.findings) out.push(...renderFinding(f, paint));
  for (const d of policyDiffsOf(t)) {
    out.push(`      ${paint('bold', `policy diff (${d.address})`)}`);
    for (const line of policyPatch(d).trimEnd().split('\n')) {
      const styled = line.startsWith('+') && !line.startsWith('+++') ? paint('green', line) : line.startsWith('-') && !line.startsWith('---') ? paint('red', line) : line.startsWith('@@') ? paint('cyan', line) : line;
      out.push(`        ${styled}`);
    }
  }
  return out;
}

function renderFinding(f: Finding, paint: (s: Style, x: string) => string): string[] {
  const out = [`      ${paint(SEVERITY_STYLE[f.severity], f.severity.toUpperCase().padEnd(8))} ${f.code} ${paint('dim', `${f.address} ${f.attribute}`)}`];
  out.push(`               ${f.message}`);
  if (f.expected !== undefined || f.actual !== undefined) out.push(`               ${showValue(f.expected)} -> ${showValue(f.actual)}`);
  out.push(`               ${paint('dim', `fix: ${f.remediation}`)}`);
  return out;
}

function summaryLine(report: DriftReport, paint: (s: Style, x: string) => string): string {
  const s = report.summary;
  const parts = [`${s.inSync} in sync`, `${s.drifted} drifted`, `${s.unknown} could not be checked`];
  const sev = SEVERITIES.filter((x) => s.findings[x] > 0).map((x) => paint(SEVERITY_STYLE[x], `${s.findings[x]} ${x}`));
  return `${plural(s.targets, 'target')}: ${parts.join(', ')}${sev.length ? `; findings: ${sev.join(', ')}` : ''}`;
}
