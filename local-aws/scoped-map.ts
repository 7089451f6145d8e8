/**
 * A Map keyed `${accountId}/${region}/${id}` that also indexes its entries by account and Region, so a
 * per-account list (ListKeys, ListAliases) reads one account's entries instead of scanning a fleet's.
 * Every write goes through `set`/`delete`/`clear`, so the index cannot fall behind the map.
 */
export class ScopedMap<V> extends Map<string, V> {
  /** `${accountId}/${region}` -> (full key -> value). */
  private readonly scopes = new Map<string, Map<string, V>>();
  /** accountId -> its scopes' entries (one per Region that has any). */
  private readonly accounts = new Map<string, Set<Map<string, V>>>();

  constructor(entries?: Iterable<readonly [string, V]>) {
    super();
    for (const [key, value] of entries ?? []) this.set(key, value);
  }

  override set(key: string, value: V): this {
    super.set(key, value);
    const scope = scopeOf(key);
    let entries = this.scopes.get(scope);
    if (!entries) {
      this.scopes.set(scope, (entries = new Map()));
      const account = accountOf(scope);
      let scopes = this.accounts.get(account);
      if (!scopes) this.accounts.set(account, (scopes = new Set()));
      scopes.add(entries);
    }
    entries.set(key, value);
    return this;
  }

  override delete(key: string): boolean {
    const scope = scopeOf(key);
    const entries = this.scopes.get(scope);
    if (entries) {
      entries.delete(key);
      if (entries.size === 0) {
        this.scopes.delete(scope);
        const account = accountOf(scope);
        const scopes = this.accounts.get(account);
        scopes?.delete(entries);
        if (scopes?.size === 0) this.accounts.delete(account);
      }
    }
    return super.delete(key);
  }

  override clear(): void {
    this.scopes.clear();
    this.accounts.clear();
    super.clear();
  }

  /** The values of one account and Region, as a copy (safe to delete from the map while iterating). */
  inScope(accountId: string, region: string): V[] {
    return [...(this.scopes.get(`${accountId}/${region}`)?.values() ?? [])];
  }

  /** The values of one account, every Region, as a copy. */
  inAccount(accountId: string): V[] {
    const out: V[] = [];
    for (const entries of this.accounts.get(accountId) ?? []) out.push(...entries.values());
    return out;
  }
}

function accountOf(scope: string): string {
  const slash = scope.indexOf('/');
  return slash < 0 ? scope : scope.slice(0, slash);
}

function scopeOf(key: string): string {
  const first = key.indexOf('/');
  const second = first < 0 ? -1 : key.indexOf('/', first + 1);
  return second < 0 ? key : key.slice(0, second);
}
