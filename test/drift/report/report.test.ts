import { ExitCode } from '../../../cli/exit-codes';
import type { Finding, TargetResult } from '../../../drift/model';
import { buildReport, exitCodeForReport } from '../../../drift/report';

const finding = (over: Partial<Finding>): Finding => ({
  code: 'TAG_CHANGED',
  severity: 'low',
  target: 't',
  address: 'aws_kms_key.key',
  attribute: 'tags.Owner',
  message: 'm',
  remediation: 'r',
  ...over,
});

const result = (target: string, status: TargetResult['status'], findings: Finding[] = []): TargetResult => ({
  target,
  status,
  findings,
  errors: status === 'unknown' ? [{ code: 'AWS_ACCESS_DENIED', operation: 'kms:DescribeKey', message: 'denied' }] : [],
  ignored: 0,
});

const NOW = new Date('2026-01-02T03:04:05.000Z');

describe('buildReport', () => {
  test('targets sorted by name, findings by severity then code then address, summary counted', () => {
    const report = buildReport(
      [
        result('zeta', 'in_sync'),
        result('alpha', 'drifted', [
          finding({ code: 'TAG_CHANGED', severity: 'low', address: 'b' }),
          finding({ code: 'TAG_CHANGED', severity: 'low', address: 'a' }),
          finding({ code: 'KEY_DISABLED', severity: 'critical' }),
          finding({ code: 'ALIAS_MOVED', severity: 'high' }),
          finding({ code: 'ALIAS_MISSING', severity: 'medium' }),
        ]),
        result('mid', 'unknown', [finding({ code: 'ROTATION_DISABLED', severity: 'high' })]),
      ],
      { version: '0.1.0', now: NOW },
    );
    expect(report.schemaVersion).toBe(1);
    expect(report.tool).toEqual({ name: 'idc-cmk', version: '0.1.0' });
    expect(report.generatedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(report.targets.map((t) => t.target)).toEqual(['alpha', 'mid', 'zeta']);
    expect(report.targets[0].findings.map((f) => `${f.code}@${f.address}`)).toEqual([
      'KEY_DISABLED@aws_kms_key.key',
      'ALIAS_MOVED@aws_kms_key.key',
      'ALIAS_MISSING@aws_kms_key.key',
      'TAG_CHANGED@a',
      'TAG_CHANGED@b',
    ]);
    expect(report.summary).toEqual({
      targets: 3,
      inSync: 1,
      drifted: 1,
      unknown: 1,
      findings: { critical: 1, high: 2, medium: 1, low: 2, info: 0 },
    });
  });
});

describe('exitCodeForReport', () => {
  const code = (...results: TargetResult[]) => exitCodeForReport(buildReport(results, { version: 'x', now: NOW }));

  test('all in sync -> 0', () => expect(code(result('a', 'in_sync'), result('b', 'in_sync'))).toBe(ExitCode.OK));
  test('drift everywhere checked -> 2', () => expect(code(result('a', 'in_sync'), result('b', 'drifted', [finding({})]))).toBe(ExitCode.DIFFERENCES));
  test('one target unknown wins over drift -> 1', () => expect(code(result('a', 'unknown'), result('b', 'drifted', [finding({})]))).toBe(ExitCode.FAILURE));
  test('no targets -> 0 (an empty shard)', () => expect(code()).toBe(ExitCode.OK));
});
