import { ScopedMap } from '../../local-aws/scoped-map';

describe('ScopedMap', () => {
  test('lists one account and Region only, in insertion order', () => {
    const m = new ScopedMap<string>();
    m.set('111111111111/us-east-1/a', 'A');
    m.set('222222222222/us-east-1/b', 'B');
    m.set('111111111111/eu-west-1/c', 'C');
    m.set('111111111111/us-east-1/d', 'D');
    expect(m.inScope('111111111111', 'us-east-1')).toEqual(['A', 'D']);
    expect(m.inScope('111111111111', 'eu-west-1')).toEqual(['C']);
    expect(m.inScope('333333333333', 'us-east-1')).toEqual([]);
    expect(m.size).toBe(4);
  });

  test('lists one account across its Regions, and forgets a Region when its last entry goes', () => {
    const m = new ScopedMap<string>();
    m.set('111111111111/us-east-1/a', 'A');
    m.set('222222222222/us-east-1/b', 'B');
    m.set('111111111111/eu-west-1/c', 'C');
    m.set('111111111111/us-east-1/d', 'D');
    expect(m.inAccount('111111111111').sort()).toEqual(['A', 'C', 'D']);
    expect(m.inAccount('222222222222')).toEqual(['B']);
    expect(m.inAccount('333333333333')).toEqual([]);
    m.delete('111111111111/eu-west-1/c');
    m.set('111111111111/eu-west-1/e', 'E');
    expect(m.inAccount('111111111111').sort()).toEqual(['A', 'D', 'E']);
    m.delete('222222222222/us-east-1/b');
    expect(m.inAccount('222222222222')).toEqual([]);
    m.clear();
    expect(m.inAccount('111111111111')).toEqual([]);
  });

  test('overwrites, deletes and clears keep the index in step with the map', () => {
    const m = new ScopedMap<string>();
    m.set('1/r/a', 'A');
    m.set('1/r/a', 'A2');
    m.set('1/r/b', 'B');
    expect(m.inScope('1', 'r')).toEqual(['A2', 'B']);
    expect(m.delete('1/r/a')).toBe(true);
    expect(m.delete('1/r/missing')).toBe(false);
    expect(m.inScope('1', 'r')).toEqual(['B']);
    expect([...m.values()]).toEqual(['B']);
    m.clear();
    expect(m.inScope('1', 'r')).toEqual([]);
    expect(m.size).toBe(0);
  });

  test('deleting while iterating a scope is safe (the list is a copy)', () => {
    const m = new ScopedMap<string>([
      ['1/r/a', 'A'],
      ['1/r/b', 'B'],
    ]);
    expect(m.inScope('1', 'r')).toEqual(['A', 'B']);
    for (const v of m.inScope('1', 'r')) m.delete(`1/r/${v.toLowerCase()}`);
    expect(m.size).toBe(0);
    expect(m.inScope('1', 'r')).toEqual([]);
  });
});
