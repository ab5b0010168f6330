/** `normlab data get cifar10` and `normlab data check`: the dataset, downloaded and checked. */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { UserError } from '../../../../shared/errors';
import { withService } from '../cliSession';
import { jsonOption } from '../options';

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
      await withService({}, async (cli) => {
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
        cli.onEvent((e) => {
          if (e.topic !== 'download' || e.event.done) return;
          const { received, total } = e.event;
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
        });
        await cli.subscribe({ topic: 'download' });
        const onSigint = (): void => void cli.call('data.cancelDownload', {});
        process.once('SIGINT', onSigint);
        try {
          const { dir } = await cli.call('data.downloadCifar10', {
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

  data
    .command('check')
    .description('check a CIFAR-10 folder (default: the one runs use) without changing anything')
    .argument('[dir]', 'the folder (cifar-10-batches-bin)')
    .addOption(jsonOption())
    .action(async (dir: string | undefined, opts: { json?: boolean }) => {
      await withService({}, async (cli) => {
        const check = await cli.call('data.checkCifar10', dir ? { dir } : {});
        if (opts.json) process.stdout.write(`${JSON.stringify(check, null, 2)}\n`);
        else if (check.ok) {
          process.stdout.write(
            `${check.dir}: CIFAR-10 with ${check.trainImages} training images (${check.trainFiles.join(', ')}) and ${check.testImages} test images\n`,
          );
        }
        if (!check.ok)
          throw new UserError('data-malformed', check.error ?? `${check.dir} is not a CIFAR-10 folder`);
      });
    });
}
