import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { discoverStateFiles, readS3States, readStdinState, targetFromFileName, workspaceKeyPrefix } from '../../../drift/state';

describe('discoverStateFiles', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'idc-cmk-state-'));
    await fs.writeFile(path.join(dir, 'terraform.prod-eu.tfstate'), '{"a":1}');
    await fs.writeFile(path.join(dir, 'dev.tfstate'), '{"b":1}');
    await fs.writeFile(path.join(dir, 'terraform.prod-eu.tfstate.backup'), 'old');
    await fs.writeFile(path.join(dir, 'cdktf.json'), '{}');
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  test('a folder: its *.tfstate files, sorted, with target names from the file names', async () => {
    const states = await discoverStateFiles(['.'], dir);
    expect(states).toEqual([
      { source: 'dev.tfstate', text: '{"b":1}', target: 'dev' },
      { source: 'terraform.prod-eu.tfstate', text: '{"a":1}', target: 'prod-eu' },
    ]);
  });

  test('a file given directly; no paths scans cwd', async () => {
    expect((await discoverStateFiles(['dev.tfstate'], dir)).map((s) => s.source)).toEqual(['dev.tfstate']);
    expect(await discoverStateFiles([], dir)).toHaveLength(2);
  });

  test('a missing path, or a folder without states -> STATE_NOT_FOUND', async () => {
    await expect(discoverStateFiles(['nope.tfstate'], dir)).rejects.toMatchObject({ code: 'STATE_NOT_FOUND', message: expect.stringContaining('nope.tfstate') });
    await fs.mkdir(path.join(dir, 'empty'));
    await expect(discoverStateFiles(['empty'], dir)).rejects.toMatchObject({ code: 'STATE_NOT_FOUND' });
  });
});

test.each([
  ['terraform.prod.tfstate', 'prod'],
  ['prod.tfstate', 'prod'],
  ['terraform.tfstate', undefined],
])('targetFromFileName(%s)', (name, target) => {
  expect(targetFromFileName(name)).toBe(target);
});

describe('readS3States', () => {
  function fakeS3(objects: Record<string, string>): { client: S3Client; prefixes: string[] } {
    const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const prefixes: string[] = [];
    jest.spyOn(client, 'send').mockImplementation((async (cmd: unknown) => {
      if (cmd instanceof ListObjectsV2Command) {
        const prefix = cmd.input.Prefix ?? '';
        prefixes.push(prefix);
        const keys = Object.keys(objects).filter((k) => k.startsWith(prefix));
        // Two pages, to exercise the paginator.
        if (!cmd.input.ContinuationToken) return { Contents: keys.slice(0, 1).map((Key) => ({ Key })), IsTruncated: keys.length > 1, NextContinuationToken: 't' };
        return { Contents: keys.slice(1).map((Key) => ({ Key })), IsTruncated: false };
      }
      if (cmd instanceof GetObjectCommand) {
        const text = objects[cmd.input.Key ?? ''];
        return { Body: { transformToString: async () => text } };
      }
      throw new Error('unexpected command');
    }) as never);
    return { client, prefixes };
  }

  const objects = {
    'idc/prod.tfstate': 'P',
    'idc/dev/terraform.tfstate': 'D',
    'idc/readme.txt': 'x',
    'env:/staging/idc/prod.tfstate': 'S',
  };

  test('default workspace: state objects under the prefix, other workspaces skipped', async () => {
    const { client } = fakeS3(objects);
    expect(await readS3States(client, 's3://bucket/idc/')).toEqual([
      { source: 's3://bucket/idc/dev/terraform.tfstate', text: 'D', target: 'dev' },
      { source: 's3://bucket/idc/prod.tfstate', text: 'P', target: 'prod' },
    ]);
  });

  test('a workspace lists under env:/<workspace>/', async () => {
    const { client, prefixes } = fakeS3(objects);
    const states = await readS3States(client, 's3://bucket/idc/', 'staging');
    expect(prefixes[0]).toBe('env:/staging/idc/');
    expect(states).toEqual([{ source: 's3://bucket/env:/staging/idc/prod.tfstate', text: 'S', target: 'prod' }]);
  });

  test('nothing there -> STATE_NOT_FOUND; a bad URI -> INPUT_INVALID', async () => {
    const { client } = fakeS3(objects);
    await expect(readS3States(client, 's3://bucket/other/')).rejects.toMatchObject({ code: 'STATE_NOT_FOUND' });
    await expect(readS3States(client, 'bucket/idc')).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  test('access denied is classified', async () => {
    const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    jest.spyOn(client, 'send').mockImplementation((async () => {
      throw Object.assign(new Error('denied'), { name: 'AccessDenied' });
    }) as never);
    await expect(readS3States(client, 's3://bucket/idc/')).rejects.toMatchObject({ code: 'AWS_ACCESS_DENIED' });
  });

  test('workspaceKeyPrefix', () => {
    expect(workspaceKeyPrefix('idc/', 'default')).toBe('idc/');
    expect(workspaceKeyPrefix('idc/', 'blue')).toBe('env:/blue/idc/');
  });
});

test('readStdinState reads the whole stream', async () => {
  expect(await readStdinState(Readable.from([Buffer.from('{"vers'), Buffer.from('ion":4}')]))).toEqual({ source: 'stdin', text: '{"version":4}' });
});
