/** Paths the end-to-end tests share: the repository, the built CLI and the shared CIFAR-10 copy. */
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');
/** The `normlab` command as installed: it runs the bundled out/main/cli.js. */
export const CLI_BIN = join(REPO_ROOT, 'bin', 'normlab.js');
export const CLI_BUNDLE = join(REPO_ROOT, 'out', 'main', 'cli.js');
/** Real CIFAR-10 (data_batch_1 and test_batch, official binary layout), read-only. */
export const SHARED_CIFAR10 = resolve(REPO_ROOT, '../shared/data/cifar10');
