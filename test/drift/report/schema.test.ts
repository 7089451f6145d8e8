/** The JSON report matches docs/drift-report.schema.json, and the docs list every finding code. */
import { readFileSync } from 'fs';
import * as path from 'path';
import { FINDING_CODES, FINDINGS } from '../../../drift/findings';
import { renderReport } from '../../../drift/render';
import { sampleReport } from '../render/report-fixture';

type Schema = {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean;
  items?: Schema;
  minimum?: number;
  $ref?: string;
};

const root = path.join(__dirname, '..', '..', '..');
const schema = JSON.parse(readFileSync(path.join(root, 'docs', 'drift-report.schema.json'), 'utf8')) as Schema & { $defs: Record<string, Schema> };

/** A validator for the subset of JSON Schema the report schema uses; returns one line per problem. */
function validate(value: unknown, s: Schema, at = '$'): string[] {
  if (s.$ref) return validate(value, schema.$defs[s.$ref.replace('#/$defs/', '')], at);
  const problems: string[] = [];
  if ('const' in s && value !== s.const) problems.push(`${at}: expected ${JSON.stringify(s.const)}`);
  if (s.enum && !s.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if (s.type === 'integer' && !(Number.isInteger(value) && (s.minimum === undefined || (value as number) >= s.minimum))) problems.push(`${at}: not an integer >= ${s.minimum}`);
  if (s.type === 'string' && typeof value !== 'string') problems.push(`${at}: not a string`);
  if (s.type === 'array') {
    if (!Array.isArray(value)) return [...problems, `${at}: not an array`];
    value.forEach((v, i) => problems.push(...(s.items ? validate(v, s.items, `${at}[${i}]`) : [])));
  }
  if (s.type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [...problems, `${at}: not an object`];
    const o = value as Record<string, unknown>;
    for (const r of s.required ?? []) if (!(r in o)) problems.push(`${at}.${r}: required`);
    for (const [k, v] of Object.entries(o)) {
      const sub = s.properties?.[k];
      if (sub) problems.push(...validate(v, sub, `${at}.${k}`));
      else if (s.additionalProperties === false) problems.push(`${at}.${k}: not allowed`);
    }
  }
  return problems;
}

test('the json format validates against the documented schema', () => {
  const json = JSON.parse(renderReport(sampleReport(), 'json', { color: false }));
  expect(validate(json, schema)).toEqual([]);
});

test('the validator catches a broken report (so the test above can fail)', () => {
  const json = JSON.parse(renderReport(sampleReport(), 'json', { color: false }));
  json.targets[0].status = 'maybe';
  delete json.summary.inSync;
  json.targets[2].findings[0].code = 'NOT_A_CODE';
  expect(validate(json, schema)).toEqual([
    '$.summary.inSync: required',
    '$.targets[0].status: "maybe" not in enum',
    '$.targets[2].findings[0].code: "NOT_A_CODE" not in enum',
  ]);
});

test('the schema lists exactly the registry codes', () => {
  expect(schema.$defs.finding.properties?.code.enum).toEqual([...FINDING_CODES]);
});

test('docs/drift.md lists every finding code with its severity', () => {
  const md = readFileSync(path.join(root, 'docs', 'drift.md'), 'utf8');
  for (const code of FINDING_CODES) expect(md).toContain(`| \`${code}\` | ${FINDINGS[code].severity} |`);
});
