/**
 * Runs a command in a child Node process and measures it from outside: wall time and the child's peak
 * RSS and CPU time (reported by the preloaded bench/report-usage.js). Benchmarks only; never used by tests.
 */
import { spawn } from 'child_process';
import * as path from 'path';

export interface Measurement {
  readonly wallSeconds: number;
  readonly peakRssMb: number;
  /** User + system CPU time of the child, all its threads. */
  readonly cpuSeconds: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

const USAGE_PRELOAD = path.join(__dirname, '..', '..', 'bench', 'report-usage.js');

/** Runs `node [preloads] script args` and measures it. */
export function measureNode(
  script: string,
  args: readonly string[],
  options: { readonly env?: NodeJS.ProcessEnv; readonly cwd?: string; readonly preload?: readonly string[] } = {},
): Promise<Measurement> {
  const nodeArgs = ['-r', USAGE_PRELOAD, ...(options.preload ?? []).flatMap((p) => ['-r', p]), script, ...args];
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      const stderr = Buffer.concat(err).toString('utf8');
      const match = /@@bench-usage (\{.*\})/.exec(stderr);
      const usage = match ? (JSON.parse(match[1]) as { maxRssKb: number; cpuMicros: number }) : { maxRssKb: NaN, cpuMicros: NaN };
      resolve({
        wallSeconds,
        peakRssMb: usage.maxRssKb / 1024,
        cpuSeconds: usage.cpuMicros / 1e6,
        exitCode: code ?? 1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: stderr.replace(/\n?@@bench-usage .*\n/, ''),
      });
    });
  });
}

/** The item with the median wall time (the upper one of an even count). */
export function medianByWall<T>(items: readonly T[], wallSeconds: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => wallSeconds(a) - wallSeconds(b));
  return sorted[Math.floor(sorted.length / 2)] as T;
}

/** A fixed-width text table. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
