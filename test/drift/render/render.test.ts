import { REPORT_FORMATS, isReportFormat, renderReport } from '../../../drift/render';
import { sampleReport } from './report-fixture';

const ESC = '\u001b[';

describe('human', () => {
  const text = renderReport(sampleReport(), 'human', { color: false });

  test('a status line per target, in name order, and a summary line', () => {
    const heads = text.split('\n').filter((l) => /^(OK|DRIFT|ERROR)/.test(l));
    expect(heads).toEqual([
      'ERROR dev <&> "x" (111122223333 eu-west-1): could not be checked (1 finding)',
      'OK    prod-eu (111122223333 eu-west-1): in sync',
      'DRIFT prod-us (111122223333 us-east-1): drifted (2 findings)',
    ]);
    expect(text.trimEnd().split('\n').pop()).toBe('3 targets: 1 in sync, 1 drifted, 1 could not be checked; findings: 1 critical, 1 high, 1 low');
  });

  test('findings with severity, expected -> actual and the fix; errors with their code', () => {
    expect(text).toContain('      LOW      TAG_CHANGED aws_kms_key.key tags.Owner\n               Tag value differs from state: Owner\n               "platform" -> "someone"\n               fix: ');
    expect(text).toContain('      AWS_ACCESS_DENIED kms:GetKeyPolicy: AccessDeniedException: not authorized');
  });

  test('a unified diff of the canonical policies', () => {
    expect(text).toContain('--- aws_kms_key.key (state)');
    expect(text).toContain('+++ aws_kms_key.key (AWS)');
    expect(text).toMatch(/^ {8}\+ {6}"Sid": "Oops",$/m);
    expect(text).not.toContain('Index:');
  });

  test('no colours unless asked; colours when asked', () => {
    expect(text).not.toContain(ESC);
    const coloured = renderReport(sampleReport(), 'human', { color: true });
    expect(coloured).toContain(`${ESC}31mDRIFT`);
    expect(coloured).toContain(`${ESC}32m+      "Sid": "Oops",${ESC}0m`);
  });
});

describe('json', () => {
  test('the report as documented: schemaVersion, summary, targets with status and findings', () => {
    const report = sampleReport();
    const parsed = JSON.parse(renderReport(report, 'json', { color: true }));
    expect(parsed).toEqual(JSON.parse(JSON.stringify(report)));
    expect(parsed.schemaVersion).toBe(1);
    expect(parsed.summary).toEqual({ targets: 3, inSync: 1, drifted: 1, unknown: 1, findings: { critical: 1, high: 1, medium: 0, low: 1, info: 0 } });
    expect(parsed.targets.map((t: { status: string }) => t.status)).toEqual(['unknown', 'in_sync', 'drifted']);
    expect(parsed.targets[2].findings[0]).toEqual(
      expect.objectContaining({ code: 'POLICY_WIDENED', severity: 'critical', target: 'prod-us', address: 'aws_kms_key.key', attribute: 'policy.Oops', changeClass: 'security' }),
    );
  });

  test('deterministic: the same input renders byte for byte the same', () => {
    expect(renderReport(sampleReport(), 'json', { color: false })).toBe(renderReport(sampleReport(), 'json', { color: false }));
  });
});

describe('markdown', () => {
  const md = renderReport(sampleReport(), 'markdown', { color: false });

  test('summary table and a row per target', () => {
    expect(md).toContain('| 3 | 1 | 1 | 1 | 1 | 1 | 0 | 1 | 0 |');
    expect(md).toContain('| prod-us | 111122223333 | us-east-1 | :x: drifted | 2 | 0 |');
  });

  test('a section per target not in sync, names escaped, findings table, policy diff block', () => {
    expect(md).toContain('### :warning: dev &lt;&amp;&gt; "x": could not be checked');
    expect(md).toContain('### :x: prod-us: drifted');
    expect(md).not.toContain('### :white_check_mark:');
    expect(md).toContain('| low | `TAG_CHANGED` | `aws_kms_key.key` | `tags.Owner` | "platform" | "someone" | Tag value differs from state: Owner |');
    expect(md).toContain('```diff\n--- aws_kms_key.key (state)');
  });
});

describe('junit', () => {
  const xml = renderReport(sampleReport(), 'junit', { color: false });

  test('one testsuite, one testcase per target: failure on drift, error on unknown', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(xml.match(/<testsuite /g)).toHaveLength(1);
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toContain('tests="3" failures="1" errors="1"');
    expect(xml).toContain('<testcase classname="idc-cmk.drift.111122223333" name="prod-eu"/>');
    expect(xml).toMatch(/name="prod-us">\n {6}<failure message="2 findings: POLICY_WIDENED, TAG_CHANGED" type="drift">/);
    expect(xml).toMatch(/<error message="could not be checked: AWS_ACCESS_DENIED" type="AWS_ACCESS_DENIED">/);
  });

  test('XML specials escaped everywhere', () => {
    expect(xml).toContain('name="dev &lt;&amp;&gt; &quot;x&quot;"');
    expect(xml).toContain('(&quot;platform&quot; -&gt; &quot;someone&quot;)');
    const withoutTags = xml.replace(/<\/?[a-z?][^>]*>/g, '');
    expect(withoutTags).not.toMatch(/[<>]/);
  });
});

test('every format is registered', () => {
  for (const f of REPORT_FORMATS) expect(renderReport(sampleReport(), f, { color: false }).length).toBeGreaterThan(0);
  expect(isReportFormat('junit')).toBe(true);
  expect(isReportFormat('html')).toBe(false);
  expect(() => renderReport(sampleReport(), 'html' as never, { color: false })).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
});
