import type { PolicyDocument, PolicyStatement } from './types';

/** Element order in rendered statements: the order AWS's documentation uses. */
const STATEMENT_KEY_ORDER: readonly (keyof PolicyStatement)[] = [
  'Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition',
];

/**
 * Renders a policy document to JSON: the one place a policy becomes text. Keys come out in a fixed
 * order and undefined fields are dropped, so the same model always renders to the same bytes.
 * Policy variables such as `${aws:ResourceAccount}` are left as they are; escaping them for Terraform
 * is the construct's job (see modules), because only Terraform needs it.
 */
export function renderPolicy(doc: PolicyDocument, options: { readonly pretty?: boolean } = {}): string {
  const ordered = {
    Version: doc.Version,
    ...(doc.Id !== undefined ? { Id: doc.Id } : {}),
    Statement: doc.Statement.map(orderStatement),
  };
  return options.pretty ? JSON.stringify(ordered, null, 2) : JSON.stringify(ordered);
}

function orderStatement(s: PolicyStatement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of STATEMENT_KEY_ORDER) {
    if (s[key] !== undefined) out[key] = s[key];
  }
  return out;
}
