/**
 * Turns zod issues into the project's problem lines: `targets[1].account: got "12345"; allowed: ...`.
 * Every issue becomes one line (an unknown key: one line per key), in document order.
 */
import type { z } from 'zod';
import { describeProblem } from '../core/errors';

/** The label of the whole file in a problem line. */
export const ROOT_LABEL = '(file)';

/** `['targets', 1, 'account']` -> `targets[1].account`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? ROOT_LABEL : out;
}

/** A problem with the path it concerns, so the loader can add a line number. */
export interface PathProblem {
  readonly path: readonly PropertyKey[];
  readonly text: string;
}

/** One or more problems per zod issue (parse with `reportInput: true` so values are known). */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType): PathProblem[] {
  const out: PathProblem[] = [];
  for (const issue of issues) {
    const input = (issue as { input?: unknown }).input;
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, issue.path);
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        const value = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[key] : undefined;
        const allowed = known.length > 0 ? `no such key; known keys here: ${known.join(', ')}` : 'no such key';
        out.push({ path, text: describeProblem(formatPath(path), value, allowed) });
      }
      continue;
    }
    if (issue.code === 'invalid_key') {
      // A mapping key (e.g. a tag key) failed its own schema: report the key's rule, not the mapping's.
      const allowed = issue.issues[0]?.message ?? issue.message;
      out.push({ path: issue.path, text: describeProblem(formatPath(issue.path), input, allowed) });
      continue;
    }
    out.push({ path: issue.path, text: describeProblem(formatPath(issue.path), input, issue.message) });
  }
  return out;
}

/** Keys of the object schema at `path`, for "did you mean" help on unknown keys. */
export function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema;
  for (const part of path) {
    node = step(unwrap(node), part);
    if (node === undefined) return [];
  }
  const def = defOf(unwrap(node));
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

interface Def {
  readonly type: string;
  readonly [k: string]: unknown;
}

function defOf(node: unknown): Def | undefined {
  return (node as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

/** Looks through optional, default, nullable and pipe wrappers. */
function unwrap(node: unknown): unknown {
  let cur = node;
  for (let i = 0; i < 10; i++) {
    const def = defOf(cur);
    if (!def) return cur;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') cur = def.innerType;
    else if (def.type === 'pipe') cur = def.in;
    else return cur;
  }
  return cur;
}

function step(node: unknown, part: PropertyKey): unknown {
  const def = defOf(node);
  if (!def) return undefined;
  if (def.type === 'object') return (def.shape as Record<string, unknown>)[String(part)];
  if (def.type === 'array') return def.element;
  if (def.type === 'record') return def.valueType;
  return undefined;
}
