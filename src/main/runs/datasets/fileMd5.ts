/** The MD5 of a file as lowercase hex, read as a stream (the CIFAR-10 archive is 163 MB). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function fileMd5(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
