/**
 * A rollout file holds text, never references: a string that cdktf would read as a token (a reference
 * to another resource, known only at apply) is refused, instead of silently becoming a Terraform
 * expression in the synthesized stack.
 */
import { Token } from 'cdktf';
import type { ResolvedTarget } from '../config/types';
import { describeProblem } from '../core/errors';

export const LITERAL_ALLOWED = 'plain text (cdktf would read this value as a reference to another resource)';

/** Problems for every string (keys included) of a resolved target that cdktf takes for a token, named by rollout-file field. */
export function tokenProblems(target: ResolvedTarget): string[] {
  const problems: string[] = [];
  const visit = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      if (Token.isUnresolved(value)) problems.push(describeProblem(rolloutField(path), value, LITERAL_ALLOWED));
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}[${i}]`));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (Token.isUnresolved(k)) problems.push(describeProblem(rolloutField(path), k, LITERAL_ALLOWED));
        visit(v, path ? `${path}.${k}` : k);
      }
    }
  };
  visit(target, '');
  return problems;
}

/** Key settings are written at the top level of a target in the rollout file (`description`, not `key.description`). */
function rolloutField(path: string): string {
  return path.startsWith('key.') ? path.slice('key.'.length) : path;
}
