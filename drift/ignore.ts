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

const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const ruleSchema = z
  .object({
    target: stringOrList.optional(),
    targets: stringOrList.optional(),
    codes: z.array(z.string().min(1)).optional(),
    attributes: z.array(z.string().min(1)).optional(),
    reason: z.string().optional(),
  })
  .strict();

const fileSchema = z
  .object({
    version: z.literal(1).optional(),
    rules: z.array(ruleSchema),
  })
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
  const parsed = fileSchema.safeParse(raw);
  const details: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.length ? issue.path.join('.') : '(file)';
      details.push(`${field}: ${issue.message}`);
    }
    throw invalid(source, details);
  }
  const rules: IgnoreRule[] = [];
  parsed.data.rules.forEach((r, i) => {
    const at = `rules.${i}`;
    if (r.target !== undefined && r.targets !== undefined) {
      details.push(`${at}: give either "target" or "targets", not both`);
    }
    const codes = r.codes ?? [];
    const attributes = r.attributes ?? [];
    if (codes.length === 0 && attributes.length === 0) {
      details.push(`${at}: a rule needs "codes" or "attributes" (or both)`);
    }
    codes.forEach((c, j) => {
      if (!FINDING_CODES.some((known) => globMatch(c, known))) {
        details.push(describeProblem(`${at}.codes.${j}`, c, 'a finding code from docs/drift.md (globs allowed, e.g. "TAG_*")'));
      }
    });
    const targetPatterns = r.targets ?? r.target ?? '*';
    rules.push({
      targets: typeof targetPatterns === 'string' ? [targetPatterns] : targetPatterns,
      codes,
      attributes,
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
    });
  });
  if (details.length > 0) throw invalid(source, details);
  return { source, rules };
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
