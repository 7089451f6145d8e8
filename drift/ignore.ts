/**
 * The ignore file: findings the team has decided not to act on, per target, by finding code and/or
 * attribute, each with an optional reason. YAML, validated with one detail per problem.
 *
 * ```yaml
 * version: 1
 * rules:
 *   - target: "prod-*"              # glob on the target name (string or list), default "*"
 *     codes: [TAG_UNEXPECTED]       # finding codes (globs allowed: "TAG_*")
 *     reason: tags set by the inventory scanner
 *   - target: "*"
 *     attributes: ["tags.LastScanned", "description"]   # attribute paths (globs allowed: "tags.*")
 * ```
 *
 * A rule with both `codes` and `attributes` ignores a finding only when both match. An attribute
 * pattern also matches everything below it: `policy` matches `policy` and `policy.Statement...`.
 * Pure: the caller reads the file.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { problemsFromIssues } from '../config/problems';
import { IdcCmkError, describeProblem } from '../core/errors';
import { FINDING_CODES } from './findings';
import type { Finding } from './model';

export interface IgnoreRule {
  /** Globs on the target name. */
  readonly targets: readonly string[];
  /** Finding code globs; empty: any code. */
  readonly codes: readonly string[];
  /** Attribute globs; empty: any attribute. */
  readonly attributes: readonly string[];
  readonly reason?: string;
}

export interface IgnoreRules {
  readonly source: string;
  readonly rules: readonly IgnoreRule[];
}

export const NO_IGNORE_RULES: IgnoreRules = { source: '(none)', rules: [] };

const TEXT = 'a non-empty string';
const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
  error: 'a target name or glob, or a non-empty list of them',
});
const textList = z.array(z.string({ error: TEXT }).min(1, { error: TEXT }), { error: 'a list of strings' });

const ruleSchema = z
  .object(
    {
      target: stringOrList.optional(),
      targets: stringOrList.optional(),
      codes: textList.optional(),
      attributes: textList.optional(),
      reason: z.string({ error: 'a string' }).optional(),
    },
    { error: 'a rule: a mapping with codes and/or attributes, and optionally target(s) and reason' },
  )
  .strict();

const fileSchema = z
  .object(
    {
      version: z.literal(1, { error: '1 (the only ignore file version)' }).optional(),
      rules: z.array(ruleSchema, { error: 'a list of rules' }),
    },
    { error: 'a mapping with version: 1 and rules' },
  )
  .strict();

export function parseIgnoreFile(text: string, source: string): IgnoreRules {
  if (text.trim() === '') return { source, rules: [] };
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new IdcCmkError('INPUT_INVALID', `Ignore file ${source} is not valid YAML`, {
      details: [(e as Error).message.split('\n')[0]],
      cause: e,
    });
  }
  if (raw === null || raw === undefined) return { source, rules: [] };
  const parsed = fileSchema.safeParse(raw, { reportInput: true });
  // Every problem at once: the rules' own checks run on whatever rules can be read, even when the
  // file's shape is wrong elsewhere.
  const details: string[] = parsed.success ? [] : problemsFromIssues(parsed.error.issues, fileSchema).map((p) => p.text);
  const rawRules = parsed.success ? parsed.data.rules : readableRules(raw);
  const rules: IgnoreRule[] = [];
  rawRules.forEach((r, i) => {
    const at = `rules[${i}]`;
    if (r.target !== undefined && r.targets !== undefined) {
      details.push(`${at}: give either "target" or "targets", not both`);
    }
    const codes = Array.isArray(r.codes) ? r.codes.filter((c): c is string => typeof c === 'string') : [];
    const attributes = Array.isArray(r.attributes) ? r.attributes : [];
    if (codes.length === 0 && attributes.length === 0 && parsed.success) {
      details.push(`${at}: a rule needs "codes" or "attributes" (or both)`);
    }
    codes.forEach((c, j) => {
      if (!FINDING_CODES.some((known) => globMatch(c, known))) {
        details.push(describeProblem(`${at}.codes[${j}]`, c, 'a finding code from docs/drift.md (globs allowed, e.g. "TAG_*")'));
      }
    });
    if (!parsed.success) return;
    const targetPatterns = (r.targets ?? r.target ?? '*') as string | string[];
    rules.push({
      targets: typeof targetPatterns === 'string' ? [targetPatterns] : targetPatterns,
      codes,
      attributes: attributes as string[],
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
    });
  });
  if (details.length > 0) throw invalid(source, details);
  return { source, rules };
}

type RawRule = { target?: unknown; targets?: unknown; codes?: unknown; attributes?: unknown; reason?: string };

/** The rules of a file whose shape is wrong somewhere: those that are mappings, as they are. */
function readableRules(raw: unknown): RawRule[] {
  const list = typeof raw === 'object' && raw !== null ? (raw as { rules?: unknown }).rules : undefined;
  return Array.isArray(list) ? list.map((r) => (typeof r === 'object' && r !== null ? (r as RawRule) : {})) : [];
}

/** The first rule that ignores this finding, if any. */
export function matchIgnoreRule(rules: IgnoreRules, finding: Finding): IgnoreRule | undefined {
  return rules.rules.find(
    (r) =>
      r.targets.some((t) => globMatch(t, finding.target)) &&
      (r.codes.length === 0 || r.codes.some((c) => globMatch(c, finding.code))) &&
      (r.attributes.length === 0 || r.attributes.some((a) => attributeMatches(a, finding.attribute))),
  );
}

/** Split findings into kept and ignored. */
export function applyIgnoreRules(
  rules: IgnoreRules,
  findings: readonly Finding[],
): { readonly kept: Finding[]; readonly ignored: Finding[] } {
  const kept: Finding[] = [];
  const ignored: Finding[] = [];
  for (const f of findings) (matchIgnoreRule(rules, f) ? ignored : kept).push(f);
  return { kept, ignored };
}

function attributeMatches(pattern: string, attribute: string): boolean {
  return globMatch(pattern, attribute) || attribute.startsWith(`${pattern}.`);
}

/** `*` any run of characters, `?` one character; everything else literal. Case-sensitive. */
export function globMatch(pattern: string, value: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's').test(value);
}

function invalid(source: string, details: string[]): IdcCmkError {
  return new IdcCmkError('INPUT_INVALID', `Ignore file ${source} is invalid`, {
    details,
    hint: 'See docs/drift.md, "Ignore file".',
  });
}
