import { comparePolicies, type PolicyDifference } from '../../policy/compare';
import type { PolicyDocument } from '../../policy/types';
import { ACCOUNT, INSTANCE_ARN, STORE_ARN, adminStatement, clone, doc, fixture, pinnedBaseline, useStatement } from './helpers';

const base = doc(adminStatement, useStatement);
const variant = (mutate: (d: any) => void, from: PolicyDocument = base): PolicyDocument => {
  const d = clone(from);
  mutate(d);
  return d;
};
const summary = (d: PolicyDifference) => ({ element: d.element, kind: d.kind, changeClass: d.changeClass, sid: d.statement?.sid });

describe('attribution and classification', () => {
  test.each<[string, PolicyDocument, Partial<PolicyDifference>[]]>([
    ['Sid-only rename is cosmetic', variant((d) => (d.Statement[1].Sid = 'Usage')), [{ element: 'sid', kind: 'changed', changeClass: 'cosmetic', expected: 'Use', actual: 'Usage' }]],
    ['added principal is security', variant((d) => (d.Statement[0].Principal.AWS = [`arn:aws:iam::${ACCOUNT}:root`, 'arn:aws:iam::444455556666:root'])), [{ element: 'principal', kind: 'added', changeClass: 'security', added: ['AWS:arn:aws:iam::444455556666:root'] }]],
    ['"*" principal is security', variant((d) => (d.Statement[0].Principal = '*')), [{ element: 'principal', kind: 'changed', changeClass: 'security', added: ['*'] }]],
    ['added action is security', variant((d) => (d.Statement[1].Action = ['kms:Decrypt', 'kms:ReEncryptTo', 'kms:Encrypt'])), [{ element: 'action', kind: 'added', changeClass: 'security', added: ['kms:encrypt'] }]],
    ['narrowed action wildcard is a change', variant((d) => (d.Statement[0].Action = 'kms:Describe*')), [{ element: 'action', kind: 'changed', changeClass: 'change' }]],
    ['an ARN added next to "*" grants nothing new', variant((d) => (d.Statement[0].Resource = ['*', 'arn:aws:kms:us-east-1:1:key/x'])), [{ element: 'resource', kind: 'added', changeClass: 'change' }]],
    ['removed condition is security', variant((d) => delete d.Statement[1].Condition.Bool), [{ element: 'condition', kind: 'removed', changeClass: 'security', conditionKey: 'Bool aws:securetransport' }]],
    ['loosened condition values are security', variant((d) => (d.Statement[1].Condition.StringEquals['aws:SourceAccount'] = [ACCOUNT, '999988887777'])), [{ element: 'condition', kind: 'changed', changeClass: 'security', added: ['999988887777'] }]],
    ['added condition is a change', variant((d) => (d.Statement[0].Condition = { Bool: { 'aws:SecureTransport': 'true' } })), [{ element: 'condition', kind: 'added', changeClass: 'change' }]],
    ['added Allow statement is security', doc(adminStatement, useStatement, { Sid: 'Extra', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }), [{ element: 'statement', kind: 'added', changeClass: 'security', statement: { sid: 'Extra', actualIndex: 2 } }]],
    ['added Deny statement is a change', doc(adminStatement, useStatement, { Sid: 'NoDelete', Effect: 'Deny', Principal: '*', Action: 'kms:ScheduleKeyDeletion', Resource: '*' }), [{ element: 'statement', kind: 'added', changeClass: 'change' }]],
    ['Deny -> Allow is security', variant((d) => (d.Statement[1].Effect = 'Allow'), variant((d) => (d.Statement[1].Effect = 'Deny'))), [{ element: 'effect', kind: 'changed', changeClass: 'security', expected: 'Deny', actual: 'Allow' }]],
    ['Action -> NotAction in an Allow is security (everything not listed)', variant((d) => { d.Statement[0].NotAction = ['kms:ScheduleKeyDeletion']; delete d.Statement[0].Action; }),
      [{ element: 'not-action', kind: 'changed', changeClass: 'security', actual: ['kms:schedulekeydeletion'] }]],
    ['Principal -> NotPrincipal in an Allow is security', variant((d) => { d.Statement[1].NotPrincipal = { AWS: 'arn:aws:iam::444455556666:root' }; delete d.Statement[1].Principal; }),
      [{ element: 'not-principal', kind: 'changed', changeClass: 'security' }]],
    ['Resource -> NotResource in an Allow is security', variant((d) => { d.Statement[0].NotResource = 'arn:aws:kms:us-east-1:1:key/other'; delete d.Statement[0].Resource; }),
      [{ element: 'not-resource', kind: 'changed', changeClass: 'security' }]],
    ['NotAction -> Action in an Allow is a change (it covers less)', variant((d) => { d.Statement[0].Action = 'kms:Describe*'; delete d.Statement[0].NotAction; }, variant((d) => { d.Statement[0].NotAction = 'kms:Decrypt'; delete d.Statement[0].Action; })),
      [{ element: 'action', kind: 'changed', changeClass: 'change' }]],
    ['unique-ID principal is a deleted principal', variant((d) => (d.Statement[0].Principal.AWS = 'AROA1234567890EXAMPLE'), variant((d) => (d.Statement[0].Principal.AWS = `arn:aws:iam::${ACCOUNT}:role/Admin`))), [
      // One change, one difference: the ARN the unique ID replaced is not also reported as removed.
      { element: 'principal', kind: 'deleted-principal', changeClass: 'change', added: ['AWS:AROA1234567890EXAMPLE'], removed: [`AWS:arn:aws:iam::${ACCOUNT}:role/Admin`] },
    ]],
    ['Version change', { ...base, Version: '2008-10-17' }, [{ element: 'version', kind: 'changed', changeClass: 'change' }]],
  ])('%s', (_name, actual, expected) => {
    const expectedDoc = _name.startsWith('Deny') || _name.startsWith('unique') ? sourceOf(_name) : base;
    const result = comparePolicies(expectedDoc, actual);
    expect(result.equivalent).toBe(false);
    expect(result.differences).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(result.differences[i]).toMatchObject(e));
  });

  function sourceOf(name: string): PolicyDocument {
    if (name.startsWith('Deny')) return variant((d) => (d.Statement[1].Effect = 'Deny'));
    return variant((d) => (d.Statement[0].Principal.AWS = `arn:aws:iam::${ACCOUNT}:role/Admin`));
  }

  test('"*" resource replacing a key ARN is security', () => {
    const r = comparePolicies(variant((d) => (d.Statement[0].Resource = 'arn:aws:kms:us-east-1:1:key/x')), base);
    expect(r.differences.map(summary)).toEqual([{ element: 'resource', kind: 'changed', changeClass: 'security', sid: 'Admin' }]);
  });

  test('removed Deny statement is security', () => {
    const deny = { Sid: 'NoDelete', Effect: 'Deny' as const, Principal: '*' as const, Action: 'kms:ScheduleKeyDeletion', Resource: '*' };
    const r = comparePolicies(doc(adminStatement, deny), doc(adminStatement));
    expect(r.differences.map(summary)).toEqual([{ element: 'statement', kind: 'removed', changeClass: 'security', sid: 'NoDelete' }]);
  });

  test('statements are matched by Sid, then by structure, whatever their order', () => {
    const renamed = variant((d) => {
      d.Statement.reverse();
      d.Statement[0].Sid = 'Renamed'; // was Use, now at index 0
      d.Statement[1].Action = 'kms:Describe*';
    });
    const r = comparePolicies(base, renamed);
    expect(r.differences.map((d) => [d.element, d.statement])).toEqual([
      ['action', { sid: 'Admin', expectedIndex: 0, actualIndex: 1 }],
      ['sid', { sid: 'Use', expectedIndex: 1, actualIndex: 0 }],
    ]);
  });

  test('the output order does not depend on the input order', () => {
    const a = variant((d) => { d.Statement[0].Principal = '*'; d.Statement[1].Sid = 'X'; delete d.Statement[1].Condition.Bool; });
    const b = variant((d) => d.Statement.reverse(), a);
    const strip = (ds: PolicyDifference[]) => ds.map((d) => ({ ...d, statement: { ...d.statement, actualIndex: undefined }, message: d.message.replace(/actual #\d/, '') }));
    expect(strip(comparePolicies(base, b).differences)).toEqual(strip(comparePolicies(base, a).differences));
  });
});

describe('outage: decided by evaluating the Identity Center probes', () => {
  const ctx = { account: ACCOUNT, instanceArn: INSTANCE_ARN, identityStoreArn: STORE_ARN };
  const pinned = pinnedBaseline();

  test('removing sso.amazonaws.com from the §1A usage statement is an outage', () => {
    const baseline = fixture('baseline-1a.json');
    const actual = variant((d) => {
      const s = d.Statement.find((x: any) => x.Sid === 'AllowIdentityCenterAndIdentityStoreToUseKey');
      s.Principal = { Service: 'identitystore.amazonaws.com' };
    }, baseline);
    const r = comparePolicies(baseline, actual, { identityCenter: ctx });
    expect(r.differences.map(summary)).toEqual([{ element: 'principal', kind: 'removed', changeClass: 'outage', sid: 'AllowIdentityCenterAndIdentityStoreToUseKey' }]);
    expect(r.lostAccess.map((p) => p.name)).toContain('sso.amazonaws.com kms:Decrypt');
  });

  test('pinning to another instance is an outage, found without a context (inferred from the expected policy)', () => {
    const actual = variant((d) => {
      const s = d.Statement.find((x: any) => x.Sid === 'AllowIdentityCenterAndIdentityStoreToUseKey');
      s.Condition.StringLike['kms:EncryptionContext:aws:sso:instance-arn'] = 'arn:aws:sso:::instance/ssoins-ffffffffffffffff';
    }, pinned);
    const r = comparePolicies(pinned, actual);
    expect(r.differences.map((d) => d.changeClass)).toEqual(['outage']);
    expect(r.differences[0]?.message).toMatch(/Identity Center loses: sso\.amazonaws\.com kms:Decrypt/);
  });

  test('a Deny that blocks Identity Store is an outage; a Deny that does not is a change', () => {
    const blocking = { Sid: 'DenyStore', Effect: 'Deny' as const, Principal: { Service: 'identitystore.amazonaws.com' }, Action: 'kms:*', Resource: '*' };
    const harmless = { Sid: 'DenyDelete', Effect: 'Deny' as const, Principal: '*' as const, Action: 'kms:ScheduleKeyDeletion', Resource: '*' };
    const r = comparePolicies(pinned, { ...pinned, Statement: [...pinned.Statement, blocking, harmless] }, { identityCenter: ctx });
    expect(r.differences.map(summary)).toEqual([
      { element: 'statement', kind: 'added', changeClass: 'outage', sid: 'DenyStore' },
      { element: 'statement', kind: 'added', changeClass: 'change', sid: 'DenyDelete' },
    ]);
  });

  test('string edits that keep access are not an outage', () => {
    const actual = variant((d) => {
      const s = d.Statement.find((x: any) => x.Sid === 'AllowIdentityCenterAndIdentityStoreToUseKey');
      s.Condition.StringEquals['aws:SourceAccount'] = ACCOUNT; // was ${aws:ResourceAccount}
    }, pinned);
    const r = comparePolicies(pinned, actual, { identityCenter: ctx });
    expect(r.lostAccess).toEqual([]);
    expect(r.differences.map((d) => d.changeClass)).not.toContain('outage');
  });
});
