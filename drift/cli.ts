/**
 * `idc-cmk drift`: flags -> DriftOptions -> runDrift -> render -> exit code. The report goes to stdout
 * (or --output), diagnostics to stderr; the exit code comes from the report (exitCodeForReport).
 */
import { accessSync, appendFileSync, constants, existsSync, statSync, writeFileSync } from 'fs';
import { dirname, resolve } from 'path';
import { IdcCmkError, describeProblem } from '../core/errors';
import type { Io } from '../cli/io';
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_SECONDS, DriftOptions, runDrift } from './run';
import { parseShard } from './pipeline/shard';
import { exitCodeForReport } from './report';
import { REPORT_FORMATS, ReportFormat, renderReport } from './render';

export const MAX_CONCURRENCY = 1024;
export const MAX_TIMEOUT_SECONDS = 3600;
export const MAX_WORKERS = 16;

export interface DriftFlags {
  readonly config?: string;
  readonly state?: string[];
  readonly stateS3?: string;
  readonly workspace?: string;
  readonly target?: string[];
  readonly format?: string;
  readonly output?: string;
  readonly markdownSummary?: string;
  readonly ignoreFile?: string;
  readonly concurrency?: string;
  readonly timeout?: string;
  readonly workers?: string;
  readonly shard?: string;
  readonly roleName?: string;
  readonly color?: boolean;
}

/** Terraform workspace names (as the S3 backend keys them under env:/<name>/). */
const WORKSPACE_NAME = /^[A-Za-z0-9_-]{1,90}$/;

/** `s3://bucket` or `s3://bucket/prefix`: a bucket name, then an optional key prefix. */
const S3_STATE_URI = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;

export async function driftCommand(rawFlags: Record<string, unknown>, io: Io): Promise<number> {
  const flags = rawFlags as DriftFlags;
  const format = parseFormat(flags.format ?? 'human');
  const options: DriftOptions = {
    ...(flags.config ? { config: flags.config } : {}),
    state: flags.state ?? [],
    ...(flags.stateS3 ? { stateS3: flags.stateS3 } : {}),
    ...(flags.workspace ? { workspace: flags.workspace } : {}),
    targets: flags.target ?? [],
    ...(flags.ignoreFile ? { ignoreFile: flags.ignoreFile } : {}),
    concurrency: parseWhole('--concurrency', flags.concurrency, DEFAULT_CONCURRENCY, 1, MAX_CONCURRENCY),
    timeoutSeconds: parseWhole('--timeout', flags.timeout, DEFAULT_TIMEOUT_SECONDS, 1, MAX_TIMEOUT_SECONDS),
    workers: parseWorkers(flags.workers),
    ...(flags.shard !== undefined ? { shard: parseShard(flags.shard) } : {}),
    ...(flags.roleName ? { roleName: flags.roleName } : {}),
    progress: format === 'human' && !flags.output,
    toolVersion: toolVersion(),
  };
  if (flags.workspace !== undefined && !WORKSPACE_NAME.test(flags.workspace)) {
    throw new IdcCmkError('INPUT_INVALID', describeProblem('--workspace', flags.workspace, 'a Terraform workspace name: 1 to 90 letters, digits, - and _'));
  }
  const emptyTarget = (flags.target ?? []).find((t) => t.trim() === '');
  if (emptyTarget !== undefined) throw new IdcCmkError('INPUT_INVALID', describeProblem('--target', emptyTarget, 'a target name or a glob such as "prod-*"'));
  if (flags.stateS3 !== undefined && !S3_STATE_URI.test(flags.stateS3)) {
    throw new IdcCmkError('INPUT_INVALID', describeProblem('--state-s3', flags.stateS3, 's3://BUCKET or s3://BUCKET/PREFIX (the S3 backend\'s bucket and key prefix)'));
  }
  // Output paths are checked before the run: a nightly run must not read a whole fleet, then fail to write.
  if (flags.output !== undefined) assertWritable('--output', flags.output, io);
  if (flags.markdownSummary !== undefined) assertWritable('--markdown-summary', flags.markdownSummary, io);

  const report = await runDrift(options, io);
  const color = flags.color !== false && !flags.output && io.stdout.isTTY === true && !io.env.NO_COLOR;
  const text = renderReport(report, format, { color });
  if (flags.output) {
    const path = resolve(io.cwd, flags.output);
    try {
      writeFileSync(path, text.endsWith('\n') ? text : `${text}\n`);
    } catch (e) {
      throw new IdcCmkError('INPUT_INVALID', `cannot write --output ${flags.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
    }
    io.stderr.write(`report written to ${flags.output}\n`);
  } else {
    io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
  if (flags.markdownSummary) appendMarkdownSummary(io, flags.markdownSummary, format === 'markdown' ? text : renderReport(report, 'markdown', { color: false }));
  const s = report.summary;
  if (format !== 'human' || flags.output) {
    io.stderr.write(`${s.targets} target(s): ${s.inSync} in sync, ${s.drifted} drifted, ${s.unknown} could not be checked\n`);
  }
  return exitCodeForReport(report);
}

/** Appends (never overwrites: `$GITHUB_STEP_SUMMARY` collects every step's summary) the Markdown report. */
/** The file can be written (it exists and is writable, or its folder is). */
function assertWritable(flag: string, file: string, io: Io): void {
  if (file.trim() === '') throw new IdcCmkError('INPUT_INVALID', describeProblem(flag, file, 'a file path'));
  const path = resolve(io.cwd, file);
  try {
    if (existsSync(path)) {
      if (statSync(path).isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
      accessSync(path, constants.W_OK);
    } else {
      accessSync(dirname(path), constants.W_OK);
    }
  } catch (e) {
    throw new IdcCmkError('INPUT_INVALID', describeProblem(flag, file, `a file this process can write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); nothing was checked`), { cause: e });
  }
}

function appendMarkdownSummary(io: Io, file: string, markdown: string): void {
  try {
    appendFileSync(resolve(io.cwd, file), markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  } catch (e) {
    throw new IdcCmkError('INPUT_INVALID', `cannot write --markdown-summary ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
}

function parseFormat(value: string): ReportFormat {
  if ((REPORT_FORMATS as readonly string[]).includes(value)) return value as ReportFormat;
  throw new IdcCmkError('INPUT_INVALID', describeProblem('--format', value, REPORT_FORMATS.join(', ')));
}

function parseWorkers(value: string | undefined): number | 'auto' {
  if (value === undefined || value.trim() === 'auto') return 'auto';
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > MAX_WORKERS) {
    throw new IdcCmkError('INPUT_INVALID', describeProblem('--workers', value, `auto, or a whole number from 0 to ${MAX_WORKERS}`));
  }
  return n;
}

function parseWhole(flag: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < min || n > max) {
    throw new IdcCmkError('INPUT_INVALID', describeProblem(flag, value, `a whole number from ${min} to ${max}`));
  }
  return n;
}

/** The package version: `../package.json` from the sources, `../../package.json` from dist/. */
function toolVersion(): string {
  for (const p of ['../package.json', '../../package.json']) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const pkg = require(p) as { name?: string; version?: string };
      if (pkg.name === 'idc-cmk' && pkg.version) return pkg.version;
    } catch {
      // not at this level
    }
  }
  return '0.0.0';
}
