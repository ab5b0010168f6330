/**
 * The backend of `normlab data get cifar10`: download the official binary archive (resumable),
 * verify its MD5, unpack it atomically into the data directory and check it (cifar10Check.ts).
 *
 *   <dataDir>/downloads/cifar-10-binary.tar.gz.part   while downloading (kept across interruptions)
 *   <dataDir>/downloads/cifar-10-binary.tar.gz        complete, before its MD5 is checked
 *   <dataDir>/downloads/cifar-10-binary.tar.gz.bad    a complete file whose MD5 did not match
 *   <dataDir>/cifar-10-batches-bin/                   the result; the archive is deleted once unpacked
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../../shared/errors';
import { checkCifar10Folder } from './cifar10Check';
import { extractFolderAtomically } from './extractFolder';
import { fileMd5 } from './fileMd5';
import { downloadResumable } from './resumableDownload';

export const CIFAR10_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';
export const CIFAR10_MD5 = 'c32a1d4ab5d03f1284b67883e8d87530';
export const CIFAR10_FOLDER = 'cifar-10-batches-bin';
/** The official archive: five training batches of 10,000 images and a test batch of 10,000. */
export const CIFAR10_OFFICIAL_RECORDS = { train: 50_000, test: 10_000 } as const;

export interface DownloadCifar10Options {
  dataDir: string;
  /** Default CIFAR10_URL. */
  url?: string;
  /** Expected MD5 of the archive, lowercase hex; default CIFAR10_MD5. */
  md5?: string;
  onProgress?: (received: number, total: number | undefined) => void;
  signal?: AbortSignal;
  /** Retries after a dropped connection within this call (each resumes with a Range request); default 3. */
  retries?: number;
  retryDelayMs?: number;
  /**
   * Record counts the unpacked folder must hold; default the official counts when url and md5 are the
   * defaults, otherwise only the layout is checked (every file a non-empty whole number of records).
   */
  expectedRecords?: { train: number; test: number };
}

/** Returns the path of the unpacked cifar-10-batches-bin folder; does nothing if it is already there and valid. */
export async function downloadCifar10(options: DownloadCifar10Options): Promise<string> {
  const url = options.url ?? CIFAR10_URL;
  const md5 = (options.md5 ?? CIFAR10_MD5).toLowerCase();
  const official = options.url === undefined && options.md5 === undefined;
  const expected = options.expectedRecords ?? (official ? CIFAR10_OFFICIAL_RECORDS : undefined);
  const check = (dir: string): void => checkFolder(dir, expected);

  const target = join(options.dataDir, CIFAR10_FOLDER);
  if (isValid(target, check)) return target;

  const downloads = join(options.dataDir, 'downloads');
  await mkdir(downloads, { recursive: true });
  const archive = join(downloads, 'cifar-10-binary.tar.gz');
  const part = `${archive}.part`;
  const manualHint =
    `download ${url} by hand, unpack it, and point NormLab at its ${CIFAR10_FOLDER} folder with ` +
    '--data DIR or `normlab settings set cifar10Dir DIR`.';

  if (!existsSync(archive)) {
    await downloadResumable(url, part, {
      manualHint,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
      ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
    });
    await rename(part, archive);
  }

  const actual = await fileMd5(archive);
  if (actual !== md5) {
    const bad = `${archive}.bad`;
    await rename(archive, bad);
    throw new UserError(
      'data-malformed',
      `The downloaded CIFAR-10 archive is corrupt: its MD5 is ${actual}, expected ${md5}. It was moved to ` +
        `${bad}; run the command again to download it afresh, or ${manualHint}`,
    );
  }

  const result = await extractFolderAtomically(archive, options.dataDir, CIFAR10_FOLDER, check);
  await rm(archive, { force: true });
  return result;
}

function isValid(dir: string, check: (dir: string) => void): boolean {
  if (!existsSync(dir)) return false;
  try {
    check(dir);
    return true;
  } catch {
    return false;
  }
}

/** The folder check of every run (files present, whole records, labels), plus the record counts when known. */
function checkFolder(dir: string, expected: { train: number; test: number } | undefined): void {
  const folder = checkCifar10Folder(dir);
  if (!expected) return;
  const train = folder.trainImages;
  const test = folder.testImages;
  if (train !== expected.train || test !== expected.test) {
    throw new UserError(
      'data-malformed',
      `${dir} holds ${train} training and ${test} test records; expected ${expected.train} and ` +
        `${expected.test}. Delete the folder and run \`normlab data get cifar10\` again.`,
    );
  }
}
