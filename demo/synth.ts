/**
 * Synthesizes a rollout file with the project's compiled cdktf app (`node dist/main.js`), or with
 * ts-node in a checkout that has not been built, into a directory of its own: the drift path never
 * loads cdktf in-process.
 */
import { spawn } from 'child_process';
import { existsSync, readdirSync } from 'fs';
import { join, resolve } from 'path';
import { IdcCmkError } from '../core/errors';

/** The package root, from the sources (`demo/`) or the build (`dist/demo/`). */
export function packageRoot(): string {
  for (const dir of [resolve(__dirname, '..'), resolve(__dirname, '..', '..')]) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'cdktf.json'))) return dir;
  }
  throw new IdcCmkError('INTERNAL', `cannot find the idc-cmk package root above ${__dirname}`);
}

export interface SynthesizedStacks {
  readonly outdir: string;
  /** Stack name -> path of its cdk.tf.json. */
  readonly stacks: ReadonlyMap<string, string>;
}

export async function synthesize(configPath: string, workDir: string, env: NodeJS.ProcessEnv = process.env): Promise<SynthesizedStacks> {
  const root = packageRoot();
  const outdir = join(workDir, 'cdktf.out');
  const compiled = join(root, 'dist', 'main.js');
  const args = existsSync(compiled)
    ? [compiled]
    : ['-r', require.resolve('ts-node/register/transpile-only', { paths: [root] }), join(root, 'main.ts')];
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    CDKTF_OUTDIR: outdir,
    IDC_CMK_CONFIG: configPath,
    TS_NODE_PROJECT: join(root, 'tsconfig.json'),
    CHECKPOINT_DISABLE: '1',
  };
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: workDir, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('close', (c) => done({ code: c, stderr: err }));
  });
  if (code !== 0) {
    throw new IdcCmkError('INPUT_INVALID', `synthesizing ${configPath} failed (exit ${code})`, { details: stderr.trim().split('\n').slice(-10) });
  }
  const stacksDir = join(outdir, 'stacks');
  const stacks = new Map<string, string>();
  for (const name of readdirSync(stacksDir).sort()) {
    const file = join(stacksDir, name, 'cdk.tf.json');
    if (existsSync(file)) stacks.set(name, file);
  }
  return { outdir, stacks };
}
