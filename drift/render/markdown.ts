/** `--format markdown`: for a CI job summary ($GITHUB_STEP_SUMMARY) or a ticket. */
import type { DriftReport, TargetResult } from '../model';
import { SEVERITIES } from '../model';
import { STATUS_LABEL, policyDiffsOf, policyPatch, showValue } from './text';
import type { Renderer } from './types';

const STATUS_ICON = { in_sync: ':white_check_mark:', drifted: ':x:', unknown: ':warning:' } as const;

export const markdownRenderer: Renderer = {
  render(report: DriftReport): string {
    const s = report.summary;
    const out: string[] = [
      '## idc-cmk drift report',
      '',
      `${s.targets} targets checked at ${report.generatedAt} (idc-cmk ${report.tool.version}).`,
      '',
      '| Targets | In sync | Drifted | Could not check | Critical | High | Medium | Low | Info |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      `| ${s.targets} | ${s.inSync} | ${s.drifted} | ${s.unknown} | ${SEVERITIES.map((x) => s.findings[x]).join(' | ')} |`,
      '',
    ];
    if (report.targets.length > 0) {
      out.push('| Target | Account | Region | Status | Findings | Ignored |', '|---|---|---|---|---:|---:|');
      for (const t of report.targets) {
        out.push(`| ${cell(t.target)} | ${cell(t.account ?? '')} | ${cell(t.region ?? '')} | ${STATUS_ICON[t.status]} ${STATUS_LABEL[t.status]} | ${t.findings.length} | ${t.ignored} |`);
      }
      out.push('');
    }
    for (const t of report.targets) if (t.status !== 'in_sync') out.push(...section(t));
    return `${out.join('\n').replace(/\n+$/, '')}\n`;
  },
};

function section(t: TargetResult): string[] {
  const out = [`### ${STATUS_ICON[t.status]} ${text(t.target)}: ${STATUS_LABEL[t.status]}`, ''];
  if (t.stateSource) out.push(`State: \`${inline(t.stateSource)}\``, '');
  if (t.errors.length > 0) {
    out.push('Could not check:', '');
    for (const e of t.errors) out.push(`- \`${e.code}\` ${text(e.message)}`);
    out.push('');
  }
  if (t.findings.length > 0) {
    out.push('| Severity | Code | Resource | Attribute | Expected | Actual | Message |', '|---|---|---|---|---|---|---|');
    for (const f of t.findings) {
      out.push(
        `| ${f.severity} | ${code(f.code)} | ${code(f.address)} | ${code(f.attribute)} | ${cell(f.expected === undefined ? '' : showValue(f.expected))} | ${cell(f.actual === undefined ? '' : showValue(f.actual))} | ${cell(f.message)} |`,
      );
    }
    out.push('', '<details><summary>Remediation</summary>', '');
    const seen = new Set<string>();
    for (const f of t.findings) {
      if (seen.has(f.code)) continue;
      seen.add(f.code);
      out.push(`- \`${f.code}\`: ${inline(f.remediation)}`); // our own registry text, with code spans
    }
    out.push('', '</details>', '');
  }
  for (const d of policyDiffsOf(t)) {
    out.push(`<details><summary>Policy diff: ${escapeHtml(d.address)}</summary>`, '', '```diff', policyPatch(d).trimEnd(), '```', '', '</details>', '');
  }
  return out;
}

/** A plain table cell: HTML specials and pipes escaped, newlines flattened. */
function cell(value: string): string {
  return text(value).replace(/\|/g, '\\|');
}

/** A code-span table cell (entities would show literally there): pipes escaped only. */
function code(value: string): string {
  return `\`${inline(value).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

/** Running text: `<`, `>` and `&` escaped so names cannot inject HTML. */
function text(value: string): string {
  return escapeHtml(inline(value));
}

function inline(text: string): string {
  return text.replace(/\r?\n/g, ' ');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
