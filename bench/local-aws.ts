/**
 * Benchmark (not a test): N signed DescribeKey requests through @aws-sdk/client-kms against the local
 * endpoint with `concurrency` in flight. The endpoint runs in a child process (as it does under
 * `idc-cmk local-aws`), so client and server each get a core; the figures are the end-to-end
 * requests/s and the server's own capacity (requests per second of server CPU time).
 *
 *   npx ts-node --transpile-only bench/local-aws.ts [requests=20000] [concurrency=64]
 *   node dist/bench/local-aws.js [requests] [concurrency]
 */
import { fork } from 'node:child_process';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { startLocalAws } from '../local-aws';

const DEFAULT_REQUESTS = 20_000;
const DEFAULT_CONCURRENCY = 64;
const WARMUP_REQUESTS = 1_000;
const SERVE_FLAG = '--serve';
const MANAGEMENT_ACCOUNT = '111111111111';

interface Ready {
  readonly url: string;
  readonly keyArn: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}
interface Stats {
  readonly cpuMicros: number;
  readonly served: number;
  readonly failed: number;
}

/** Child: serve until told to report and stop. */
async function serve(): Promise<void> {
  const local = await startLocalAws({ scenario: 'example-fleet-cmk', callLogLimit: 1_000_000 });
  const keyArn = local.seed.instance('arn:aws:sso:::instance/ssoins-1111111111111111').encryption.kmsKeyArn!;
  let cpuAtStart = process.cpuUsage();
  let logAtStart = 0;
  process.on('message', (m: string) => {
    if (m === 'start') {
      cpuAtStart = process.cpuUsage();
      logAtStart = local.callLog().length;
      process.send!('started');
    } else if (m === 'stats') {
      const cpu = process.cpuUsage(cpuAtStart);
      const calls = local.callLog().slice(logAtStart);
      const stats: Stats = { cpuMicros: cpu.user + cpu.system, served: calls.length, failed: calls.filter((c) => c.status !== 200).length };
      process.send!(stats);
      void local.stop().then(() => process.exit(0));
    }
  });
  const ready: Ready = { url: local.url, keyArn, credentials: local.seed.credentialsFor(MANAGEMENT_ACCOUNT) };
  process.send!(ready);
}

function nextMessage<T>(child: ReturnType<typeof fork>): Promise<T> {
  return new Promise((resolve) => child.once('message', (m) => resolve(m as T)));
}

async function drive(): Promise<void> {
  const total = Number(process.argv[2] ?? DEFAULT_REQUESTS);
  const concurrency = Number(process.argv[3] ?? DEFAULT_CONCURRENCY);
  const child = fork(__filename, [SERVE_FLAG], {
    execArgv: __filename.endsWith('.ts') ? ['-r', 'ts-node/register/transpile-only'] : [],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const ready = await nextMessage<Ready>(child);
  const kms = new KMSClient({ endpoint: ready.url, region: 'us-east-1', credentials: ready.credentials, maxAttempts: 1 });
  const run = async (n: number): Promise<void> => {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < n) {
        next++;
        const out = await kms.send(new DescribeKeyCommand({ KeyId: ready.keyArn }));
        if (out.KeyMetadata?.Arn !== ready.keyArn) throw new Error(`unexpected answer: ${JSON.stringify(out.KeyMetadata)}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };
  await run(WARMUP_REQUESTS);
  child.send('start');
  await nextMessage<string>(child);
  const start = process.hrtime.bigint();
  await run(total);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  child.send('stats');
  const stats = await nextMessage<Stats>(child);
  kms.destroy();
  const serverCpuSeconds = stats.cpuMicros / 1e6;
  process.stdout.write(
    `local-aws bench: ${total} signed DescribeKey requests via @aws-sdk/client-kms, concurrency ${concurrency}\n` +
      `  end to end: ${seconds.toFixed(2)} s wall, ${Math.round(total / seconds)} requests/s (bounded by the SDK client process)\n` +
      `  server: ${stats.served} served, ${stats.failed} failed, ${serverCpuSeconds.toFixed(2)} s CPU, ` +
      `${Math.round(stats.served / serverCpuSeconds)} requests per CPU-second (${((serverCpuSeconds / stats.served) * 1e6).toFixed(0)} us per request)\n`,
  );
}

(process.argv.includes(SERVE_FLAG) ? serve() : drive()).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
