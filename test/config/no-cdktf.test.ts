import { existsSync, readFileSync } from 'fs';
import { dirname, join, resolve } from 'path';

/**
 * The drift detector loads `config/`: nothing it reaches may import cdktf, constructs or the provider
 * bindings. Walks the static import graph of config/*.ts (type-only imports excluded).
 */
const FORBIDDEN = /^(cdktf|constructs|@cdktf\/)/;
const root = resolve(__dirname, '../..');

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  const re = /^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\bfrom\s+)?['"]([^'"]+)['"]|\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) specs.push((m[1] ?? m[2])!);
  return specs;
}

function resolveLocal(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  return [`${base}.ts`, join(base, 'index.ts')].find((f) => existsSync(f));
}

test('config/ reaches no cdktf, constructs or provider module', () => {
  const seen = new Set<string>();
  const offending: string[] = [];
  const queue = ['load.ts', 'cli.ts', 'schema.ts', 'resolve.ts', 'json-schema.ts'].map((f) => join(root, 'config', f));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of importsOf(file)) {
      if (FORBIDDEN.test(spec)) offending.push(`${file.slice(root.length + 1)} imports ${spec}`);
      else if (spec.startsWith('.')) {
        const next = resolveLocal(file, spec);
        if (next) queue.push(next);
      }
    }
  }
  expect(offending).toEqual([]);
  expect(seen.size).toBeGreaterThan(5); // the walk did follow local imports
});
