/**
 * `idc-cmk policy diff A.json B.json`: the drift comparer's equivalence and attribution for two files.
 * Exit 0 when they mean the same, 2 when they differ, 1 on invalid input (thrown as IdcCmkError).
 * The only file in policy/ that touches the filesystem.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { createTwoFilesPatch } from 'diff';
import { ExitCode } from '../cli/exit-codes';
import type { Io } from '../cli/io';
import { IdcCmkError, describeProblem, inputError } from '../core/errors';
import { canonicalPolicyText } from './canonical';
import { comparePolicies, inferIdentityCenterContext, type PolicyComparison } from './compare';
import type { IdentityCenterContext } from './identity-center';
import { parsePolicy } from './parse';
import type { PolicyDocument } from './types';
import { ACCOUNT_ID_PATTERN } from './private/values';

export const POLICY_DIFF_FORMATS = ['text', 'json'] as const;
export type PolicyDiffFormat = (typeof POLICY_DIFF_FORMATS)[number];

/** Version of the `--format json` output shape. */
export const POLICY_DIFF_JSON_VERSION = 1;

export interface PolicyDiffOptions {
  readonly format?: string;
  readonly instanceArn?: string;
  readonly identityStoreArn?: string;
  readonly account?: string;
}

export async function runPolicyDiff(io: Io, expectedFile: string, actualFile: string, options: PolicyDiffOptions): Promise<number> {
  const format = (options.format ?? 'text') as PolicyDiffFormat;
  if (!POLICY_DIFF_FORMATS.includes(format)) throw inputError('invalid --format', [describeProblem('--format', options.format, POLICY_DIFF_FORMATS.join(' or '))]);
  if (options.account !== undefined && !ACCOUNT_ID_PATTERN.test(options.account)) {
    throw inputError('invalid --account', [describeProblem('--account', options.account, 'a 12-digit AWS account ID')]);
  }
  const expected = await readPolicyFile(io, expectedFile);
  const actual = await readPolicyFile(io, actualFile);
  const identityCenter = contextFrom(expected, options);
  const comparison = comparePolicies(expected, actual, { identityCenter });
  const patch = comparison.equivalent
    ? ''
    : createTwoFilesPatch(expectedFile, actualFile, canonicalPolicyText(expected), canonicalPolicyText(actual), 'expected (canonical)', 'actual (canonical)');

  if (format === 'json') {
    io.stdout.write(`${JSON.stringify({ version: POLICY_DIFF_JSON_VERSION, expected: expectedFile, actual: actualFile, equivalent: comparison.equivalent, differences: comparison.differences, lostAccess: comparison.lostAccess.map((p) => p.name), unifiedDiff: patch }, null, 2)}\n`);
  } else {
    io.stdout.write(renderText(expectedFile, actualFile, comparison, patch));
  }
  return comparison.equivalent ? ExitCode.OK : ExitCode.DIFFERENCES;
}

function contextFrom(expected: PolicyDocument, o: PolicyDiffOptions): IdentityCenterContext {
  const inferred = inferIdentityCenterContext(expected);
  return {
    ...inferred,
    ...(o.account !== undefined ? { account: o.account } : {}),
    ...(o.instanceArn !== undefined ? { instanceArn: o.instanceArn } : {}),
    ...(o.identityStoreArn !== undefined ? { identityStoreArn: o.identityStoreArn } : {}),
  };
}

/** Reads a file holding a policy document, or a JSON string of one. */
export async function readPolicyFile(io: Io, file: string): Promise<PolicyDocument> {
  let text: string;
  try {
    text = await fs.readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw inputError(`cannot read policy file ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`);
  }
  if (text.trim() === '') throw new IdcCmkError('POLICY_INVALID', `policy file ${file} is empty`);
  return parsePolicy(text, `policy file ${file}`);
}

function renderText(expectedFile: string, actualFile: string, c: PolicyComparison, patch: string): string {
  if (c.equivalent) return `${expectedFile} and ${actualFile} mean the same.\n`;
  const counts = new Map<string, number>();
  for (const d of c.differences) counts.set(d.changeClass, (counts.get(d.changeClass) ?? 0) + 1);
  const summary = [...counts.entries()].map(([k, n]) => `${n} ${k}`).join(', ');
  const lines = [`${expectedFile} and ${actualFile} differ: ${c.differences.length} difference${c.differences.length === 1 ? '' : 's'} (${summary})`];
  for (const d of c.differences) lines.push(`  [${d.changeClass}] ${d.message}`);
  if (c.lostAccess.length > 0) lines.push(`Identity Center would lose: ${c.lostAccess.map((p) => p.name).join(', ')}`);
  return `${lines.join('\n')}\n\n${patch}`;
}
