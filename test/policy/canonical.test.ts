import { canonicalPolicyText, inferPartition, policiesEquivalent } from '../../policy/canonical';
import { comparePolicies } from '../../policy/compare';
import { parsePolicy } from '../../policy/parse';
import type { PolicyDocument } from '../../policy/types';
import { ACCOUNT, adminStatement, clone, doc, fixture, useStatement } from './helpers';

const base = doc(adminStatement, useStatement);
const variant = (mutate: (d: any) => void): PolicyDocument => {
  const d = clone(base);
  mutate(d);
  return d;
};

/** What AWS does to a stored policy: pretty-printed with " : ", statements and arrays reordered. */
function awsReserialise(d: PolicyDocument): string {
  const c = clone(d);
  c.Statement.reverse();
  for (const s of c.Statement) {
    if (Array.isArray(s.Action)) s.Action.reverse();
    if (s.Principal?.Service && Array.isArray(s.Principal.Service)) s.Principal.Service.reverse();
    if (s.Principal?.AWS && Array.isArray(s.Principal.AWS)) s.Principal.AWS.reverse();
  }
  return JSON.stringify(c, null, 2).replace(/": /g, '" : ');
}

describe('equivalent: these mean the same', () => {
  test.each<[string, PolicyDocument, PolicyDocument]>([
    ['statements reordered', base, doc(useStatement, adminStatement)],
    ['array elements reordered', base, variant((d) => (d.Statement[1].Action = ['kms:ReEncryptTo', 'kms:Decrypt']))],
    ['scalar vs one-element list (Action)', base, variant((d) => (d.Statement[0].Action = ['kms:*']))],
    ['scalar vs one-element list (Principal)', base, variant((d) => (d.Statement[0].Principal.AWS = [`arn:aws:iam::${ACCOUNT}:root`]))],
    ['scalar vs one-element list (Condition value)', base, variant((d) => (d.Statement[1].Condition.StringEquals['aws:SourceAccount'] = [ACCOUNT]))],
    ['account ID vs root ARN (same partition)', base, variant((d) => (d.Statement[0].Principal.AWS = ACCOUNT))],
    ['duplicate array entries', base, variant((d) => (d.Statement[1].Action = ['kms:Decrypt', 'kms:ReEncryptTo', 'kms:Decrypt']))],
    ['duplicate statements', base, doc(adminStatement, useStatement, adminStatement)],
    ['action name case', base, variant((d) => (d.Statement[1].Action = ['KMS:decrypt', 'kms:reencryptto']))],
    ['condition key case', base, variant((d) => (d.Statement[1].Condition.StringEquals = { 'AWS:sourceaccount': ACCOUNT }))],
    ['bool as string', base, variant((d) => (d.Statement[1].Condition.Bool['aws:SecureTransport'] = 'true'))],
    ['number as string', doc({ ...useStatement, Condition: { NumericLessThan: { 'kms:x': 10 } } }), doc({ ...useStatement, Condition: { NumericLessThan: { 'kms:x': '10' } } })],
    ['Principal "*" vs {"AWS":"*"}', doc({ ...adminStatement, Principal: '*' }), doc({ ...adminStatement, Principal: { AWS: '*' } })],
    ['condition operators reordered', base, variant((d) => (d.Statement[1].Condition = { Bool: d.Statement[1].Condition.Bool, StringEquals: d.Statement[1].Condition.StringEquals }))],
  ])('%s', (_name, a, b) => {
    expect(policiesEquivalent(a, b)).toBe(true);
    expect(comparePolicies(a, b)).toEqual({ equivalent: true, differences: [], lostAccess: [] });
  });

  test('AWS-style re-serialisation of the §1A baseline', () => {
    const original = fixture('baseline-1a.json');
    const live = parsePolicy(JSON.stringify(awsReserialise(original)));
    expect(comparePolicies(original, live).equivalent).toBe(true);
  });

  test('a single statement object equals a one-element Statement array', () => {
    const single = parsePolicy({ Version: '2012-10-17', Statement: adminStatement });
    expect(policiesEquivalent(single, doc(adminStatement))).toBe(true);
  });
});

describe('not equivalent: these differ', () => {
  test.each<[string, PolicyDocument, PolicyDocument]>([
    ['Version', base, { ...base, Version: '2008-10-17' }],
    ['Effect', base, variant((d) => (d.Statement[0].Effect = 'Deny'))],
    ['Action vs NotAction', base, variant((d) => { d.Statement[0].NotAction = d.Statement[0].Action; delete d.Statement[0].Action; })],
    ['Resource vs NotResource', base, variant((d) => { d.Statement[0].NotResource = 'arn:aws:kms:*:*:key/x'; delete d.Statement[0].Resource; })],
    ['Principal vs NotPrincipal', base, variant((d) => { d.Statement[0].NotPrincipal = d.Statement[0].Principal; delete d.Statement[0].Principal; })],
    ['account ID vs root ARN in another partition', variant((d) => (d.Statement[0].Principal.AWS = ACCOUNT)), variant((d) => (d.Statement[0].Principal.AWS = `arn:aws-cn:iam::${ACCOUNT}:root`))],
    ['condition operator case', base, variant((d) => (d.Statement[1].Condition = { stringequals: d.Statement[1].Condition.StringEquals, Bool: d.Statement[1].Condition.Bool }))],
    ['condition value case', base, variant((d) => (d.Statement[1].Condition.StringEquals['aws:SourceAccount'] = 'X' + ACCOUNT))],
    ['Sid', base, variant((d) => (d.Statement[0].Sid = 'admin'))],
    ['unique-ID principal instead of the role ARN', doc({ ...adminStatement, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Admin` } }), doc({ ...adminStatement, Principal: { AWS: 'AROA1234567890EXAMPLE' } })],
    ['a statement more', base, doc(adminStatement, useStatement, { ...adminStatement, Sid: 'Extra' })],
  ])('%s', (_name, a, b) => {
    expect(policiesEquivalent(a, b)).toBe(false);
    expect(comparePolicies(a, b).equivalent).toBe(false);
    expect(comparePolicies(b, a).equivalent).toBe(false);
  });
});

describe('canonicalPolicyText', () => {
  test('is stable across re-serialisation and lower-cases actions and condition keys', () => {
    const original = fixture('baseline-1a.json');
    expect(canonicalPolicyText(parsePolicy(awsReserialise(original)))).toBe(canonicalPolicyText(original));
    const text = canonicalPolicyText(base);
    expect(text).toContain('"kms:decrypt"');
    expect(text).toContain('"aws:sourceaccount"');
    expect(text).toContain(`"arn:aws:iam::${ACCOUNT}:root"`);
    expect(text.endsWith('}\n')).toBe(true);
  });

  test('renders an account ID as the root ARN of the inferred partition', () => {
    const cn = doc({ ...adminStatement, Principal: { AWS: ACCOUNT }, Resource: 'arn:aws-cn:kms:cn-north-1:111122223333:key/k' });
    expect(inferPartition(cn)).toBe('aws-cn');
    expect(canonicalPolicyText(cn)).toContain(`"arn:aws-cn:iam::${ACCOUNT}:root"`);
    expect(inferPartition(base)).toBe('aws');
  });
});
