/** Aliases: each declared alias exists and points at the key; the key has no undeclared alias. */
import { keyIdOf } from '../../state/arn';
import type { ExpectedTarget, Finding, LiveKey } from '../../model';
import { merge, found, unknown, NOTHING, type CheckOutcome, type FindingFactory } from '../outcome';

export function checkAliases(expected: ExpectedTarget, live: LiveKey, f: FindingFactory): CheckOutcome {
  return merge(checkDeclaredAliases(expected, live, f), checkUnexpectedAliases(expected, live, f));
}

function checkDeclaredAliases(expected: ExpectedTarget, live: LiveKey, f: FindingFactory): CheckOutcome {
  if (expected.aliases.length === 0) return NOTHING;
  if (!live.expectedAliases.ok) return unknown(live.expectedAliases.error);
  const resolved = live.expectedAliases.value;
  // The live half resolves the declared aliases in order; fall back to names if the lists disagree.
  const byIndex = resolved.length === expected.aliases.length && expected.aliases.every((a, i) => resolved[i].name === a.name);
  const out: Finding[] = [];
  expected.aliases.forEach((alias, i) => {
    const liveAlias = byIndex ? resolved[i] : resolved.find((r) => r.name === alias.name);
    const where = alias.region === expected.key.region ? '' : ` in ${alias.region}`;
    if (!liveAlias) {
      out.push(f.make('ALIAS_MISSING', { address: alias.address, attribute: 'name', expected: alias.name, detail: `${alias.name}${where} was not resolved` }));
      return;
    }
    if (liveAlias.targetKeyId === undefined) {
      out.push(f.make('ALIAS_MISSING', { address: alias.address, attribute: 'name', expected: alias.name, detail: `${alias.name}${where}` }));
    } else if (keyIdOf(liveAlias.targetKeyId) !== keyIdOf(alias.targetKeyId)) {
      out.push(
        f.make('ALIAS_MOVED', {
          address: alias.address,
          attribute: 'target_key_id',
          expected: alias.targetKeyId,
          actual: liveAlias.targetKeyId,
          detail: `${alias.name}${where} points at ${liveAlias.targetKeyId}`,
        }),
      );
    }
  });
  return found(...out);
}

function checkUnexpectedAliases(expected: ExpectedTarget, live: LiveKey, f: FindingFactory): CheckOutcome {
  if (!live.aliases.ok) return unknown(live.aliases.error);
  // ListAliases ran against the key in its own Region: only aliases declared there count.
  const declared = new Set(expected.aliases.filter((a) => a.region === expected.key.region).map((a) => a.name));
  const extra = [...live.aliases.value].filter((n) => !declared.has(n)).sort();
  return found(
    ...extra.map((name) =>
      f.make('ALIAS_UNEXPECTED', { address: expected.key.address, attribute: `aliases.${name}`, actual: name, detail: name }),
    ),
  );
}
