/** `normlab data get cifar10`: download, verify and unpack the dataset into the data directory. */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { UserError } from '../../../../shared/errors';
import { withApi } from '../apiFromOptions';

export function registerDataCommands(program: Command): void {
  const data = program.command('data').description('datasets');
  data
    .command('get')
    .description('download a dataset into the data directory (resumes an interrupted download)')
    .argument('<dataset>', 'cifar10')
    .option('--url <url>', 'download from a mirror instead of the official address')
    .option('--md5 <hex>', "the mirror archive's MD5 (required with --url)")
    .action(async (dataset: string, opts: { url?: string; md5?: string }) => {
      if (dataset !== 'cifar10')
        throw new UserError('usage', `unknown dataset "${dataset}"; NormLab can get: cifar10`);
      if (opts.url && !opts.md5)
        throw new UserError('usage', '--url needs --md5 so the download can be verified');
      await withApi({}, async (api) => {
        const interactive = Boolean(process.stderr.isTTY);
        const bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: 'cifar10 |{bar}| {percentage}% {receivedMb}/{totalMb} MB ETA {eta_formatted}',
            hideCursor: true,
            noTTYOutput: false,
          },
          cliProgress.Presets.shades_classic,
        );
        let started = false;
        let lastLog = 0;
        const mb = (n: number): string => (n / 2 ** 20).toFixed(1);
        const onProgress = (received: number, total: number | undefined): void => {
          if (interactive && total) {
            if (!started) {
              bar.start(total, received, { receivedMb: mb(received), totalMb: mb(total) });
              started = true;
            }
            bar.update(received, { receivedMb: mb(received), totalMb: mb(total) });
          } else if (Date.now() - lastLog > 2000) {
            lastLog = Date.now();
            process.stderr.write(`downloaded ${mb(received)}${total ? ` of ${mb(total)}` : ''} MB\n`);
          }
        };
        const abort = new AbortController();
        const onSigint = (): void => abort.abort();
        process.once('SIGINT', onSigint);
        try {
          const dir = await api.downloadCifar10(onProgress, {
            signal: abort.signal,
            ...(opts.url ? { url: opts.url } : {}),
            ...(opts.md5 ? { md5: opts.md5 } : {}),
          });
          if (started) bar.stop();
          process.stdout.write(`CIFAR-10 is ready in ${dir}\n`);
        } finally {
          if (started) bar.stop();
          process.off('SIGINT', onSigint);
        }
      });
    });
}
