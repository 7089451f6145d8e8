/**
 * Reading the rollout file: YAML -> schema -> defaults merged -> cross-field rules. Every problem is
 * reported at once, each as `path: got <value>; allowed: <what> (line N)`.
 */
import { readFileSync } from 'fs';
import { isAbsolute, resolve } from 'path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { IdcCmkError } from '../core/errors';
import { CONFIG_ENV_VAR, CONFIG_VERSION, DEFAULT_CONFIG_FILE } from './constants';
import { problemsFromIssues } from './problems';
import { resolveTargets } from './resolve';
import { defaultsSchema, rolloutFileSchema, targetSchema, type TargetEntry } from './schema';
import type { RolloutConfig } from './types';

/** The rollout file to use: `$IDC_CMK_CONFIG` (relative to `cwd`) or `idc-cmk.yaml` in `cwd`. */
export function configPathFromEnv(env: NodeJS.ProcessEnv, cwd: string): string {
  const fromEnv = env[CONFIG_ENV_VAR];
  const path = fromEnv !== undefined && fromEnv.trim() !== '' ? fromEnv : DEFAULT_CONFIG_FILE;
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** Reads, validates and resolves a rollout file. Throws CONFIG_NOT_FOUND or CONFIG_INVALID. */
export function loadRolloutConfig(path: string): RolloutConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new IdcCmkError('CONFIG_NOT_FOUND', `cannot read the rollout file ${path}${code ? ` (${code})` : ''}`, {
      cause: e,
      hint: `create it (see idc-cmk.yaml in the repository), or point ${CONFIG_ENV_VAR} at another file`,
    });
  }
  return parseRolloutConfig(text, path);
}

/** Validates and resolves rollout file text; `source` names it in messages. Throws CONFIG_INVALID. */
export function parseRolloutConfig(text: string, source: string): RolloutConfig {
  const json = parseJsonRolloutFile(text);
  if (json !== undefined) {
    const parsed = rolloutFileSchema.safeParse(json, { reportInput: true });
    const resolved = parsed.success ? resolveTargets(parsed.data) : undefined;
    if (parsed.success && resolved?.ok) return { source, version: parsed.data.version, targets: resolved.targets };
    // Invalid: the YAML path below reports every problem, with its line.
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const details = doc.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      const where = `line ${pos.line}, column ${pos.col}`;
      return `${where}: ${e.message.split('\n')[0]} (${e.code})`;
    });
    throw invalid(source, details);
  }

  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  const parsed = rolloutFileSchema.safeParse(data ?? undefined, { reportInput: true });
  if (!parsed.success) {
    const details = problemsFromIssues(parsed.error.issues, rolloutFileSchema).map((p) => withLine(p.text, p.path));
    throw invalid(source, [...details, ...problemsOfValidTargets(data)]);
  }

  const resolved = resolveTargets(parsed.data);
  if (!resolved.ok) throw invalid(source, resolved.problems);
  return { source, version: parsed.data.version, targets: resolved.targets };

  function withLine(textLine: string, path: readonly PropertyKey[]): string {
    // The node at the path, or its nearest existing parent (a missing key is reported at its mapping).
    for (let n = path.length; n >= 0; n--) {
      const node: unknown = doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) {
        return `${textLine} (line ${lineCounter.linePos(node.range[0]).line})`;
      }
    }
    return textLine;
  }
}

/**
 * The cross-field problems of the targets that passed the schema, when the file as a whole did not: a
 * file's problems are listed at once, not one class per round of fixes. Nothing when the defaults
 * themselves are invalid (every target inherits them).
 */
function problemsOfValidTargets(data: unknown): string[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return [];
  const { defaults, targets } = data as { defaults?: unknown; targets?: unknown };
  const parsedDefaults = defaults === undefined ? undefined : defaultsSchema.safeParse(defaults);
  if (parsedDefaults && !parsedDefaults.success) return [];
  if (!Array.isArray(targets)) return [];
  const valid: TargetEntry[] = [];
  const indexes: number[] = [];
  targets.forEach((t: unknown, i) => {
    const parsed = targetSchema.safeParse(t);
    if (parsed.success) {
      valid.push(parsed.data);
      indexes.push(i);
    }
  });
  if (valid.length === 0) return [];
  const resolved = resolveTargets({ version: CONFIG_VERSION, ...(parsedDefaults ? { defaults: parsedDefaults.data } : {}), targets: valid }, indexes);
  return resolved.ok ? [] : [...resolved.problems];
}

/**
 * A rollout file written as JSON (as tooling that generates large fleets often writes it) parsed as
 * JSON: JSON is YAML, and JSON.parse reads 1,000 targets in ~1 ms where the YAML parser takes ~150 ms.
 * Undefined, so the YAML parser decides, when the text is not a JSON object or names a key twice in
 * one mapping (YAML refuses that; JSON.parse would silently keep the last).
 */
export function parseJsonRolloutFile(text: string): unknown {
  if (!text.trimStart().startsWith('{')) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  return countKeys(data) === countKeyTokens(text) ? data : undefined;
}

/** Keys in every object of a parsed JSON value. */
function countKeys(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v: unknown) => n + countKeys(v), 0);
  if (value === null || typeof value !== 'object') return 0;
  return Object.values(value).reduce((n: number, v: unknown) => n + 1 + countKeys(v), 0);
}

/** Strings followed by `:` in JSON text: its keys, duplicates included (every string is consumed whole). */
function countKeyTokens(text: string): number {
  let n = 0;
  for (const m of text.matchAll(/"(?:[^"\\]|\\.)*"(\s*:)?/g)) if (m[1] !== undefined) n++;
  return n;
}

function invalid(source: string, details: readonly string[]): IdcCmkError {
  const n = details.length;
  return new IdcCmkError('CONFIG_INVALID', `${source}: ${n} problem${n === 1 ? '' : 's'} in the rollout file`, {
    details,
    hint: 'fix every listed field; `idc-cmk config validate` checks the file without synthesizing',
  });
}
