/**
 * `--format junit`: one testsuite, one testcase per target: a <failure> when it drifted, an <error>
 * when it could not be checked (with any findings found anyway), nothing when in sync.
 */
import type { DriftReport, TargetResult } from '../model';
import { showValue } from './text';
import type { Renderer } from './types';

const SUITE = 'idc-cmk drift';

export const junitRenderer: Renderer = {
  render(report: DriftReport): string {
    const s = report.summary;
    const counts = `tests="${s.targets}" failures="${s.drifted}" errors="${s.unknown}" skipped="0"`;
    const out = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuites name="${SUITE}" ${counts}>`,
      `  <testsuite name="${SUITE}" ${counts} timestamp="${xml(report.generatedAt)}">`,
    ];
    for (const t of report.targets) out.push(...testcase(t));
    out.push('  </testsuite>', '</testsuites>');
    return `${out.join('\n')}\n`;
  },
};

function testcase(t: TargetResult): string[] {
  const open = `    <testcase classname="${xml(`idc-cmk.drift.${t.account ?? 'unknown-account'}`)}" name="${xml(t.target)}"`;
  if (t.status === 'in_sync') return [`${open}/>`];
  const body = [...t.errors.map((e) => `${e.code} ${e.message}`), ...t.findings.map(findingLine)].join('\n');
  if (t.status === 'drifted') {
    const message = `${t.findings.length} finding${t.findings.length === 1 ? '' : 's'}: ${[...new Set(t.findings.map((f) => f.code))].join(', ')}`;
    return [`${open}>`, `      <failure message="${xml(message)}" type="drift">${xml(body)}</failure>`, '    </testcase>'];
  }
  const message = `could not be checked: ${[...new Set(t.errors.map((e) => e.code))].join(', ')}`;
  return [`${open}>`, `      <error message="${xml(message)}" type="${xml(t.errors[0]?.code ?? 'UNKNOWN')}">${xml(body)}</error>`, '    </testcase>'];
}

function findingLine(f: TargetResult['findings'][number]): string {
  return `[${f.severity}] ${f.code} ${f.address} ${f.attribute}: ${f.message} (${showValue(f.expected)} -> ${showValue(f.actual)})`;
}

/** Escapes the five XML specials and drops characters XML 1.0 cannot carry. */
export function xml(text: string): string {
  return text
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
