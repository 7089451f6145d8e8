// A fixed single-threaded workload shaped like drift's per-call work (HMAC-SHA256 signing chains, JSON
// in and out, short-lived objects, awaited promises). The bench times it before and after its rows:
// the same code on a slower or busier machine takes longer, which says how to read the other numbers.
'use strict';
const { createHmac, createHash } = require('crypto');

const ITERATIONS = 15_000;
const body = JSON.stringify({ KeyMetadata: { AWSAccountId: '111122223333', KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab', KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], MultiRegion: false, Enabled: true } });

async function call(i) {
  let key = `AWS4secret${i % 97}`;
  for (const part of ['20261202', 'us-east-1', 'kms', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  const canonical = `POST\n/\n\nhost:127.0.0.1\nx-amz-date:20261202T000000Z\n\nhost;x-amz-date\n${createHash('sha256').update(body).digest('hex')}`;
  const signature = createHmac('sha256', key).update(canonical).digest('hex');
  const parsed = await Promise.resolve(JSON.parse(body));
  return { ...parsed.KeyMetadata, signature, headers: { 'x-amz-date': '20261202T000000Z', authorization: `AWS4-HMAC-SHA256 Signature=${signature}` } };
}

(async () => {
  let sink = 0;
  for (let i = 0; i < ITERATIONS; i++) sink += (await call(i)).signature.length;
  if (sink === 0) process.exitCode = 1;
})();
