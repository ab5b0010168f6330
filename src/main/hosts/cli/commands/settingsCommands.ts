/** `normlab settings`: where the datasets and the database are, the default backend, the pool size. */
import type { Command } from 'commander';
import { settingsSchema, type ApiParams, type SettingKey } from '../../../../shared/api';
import { UserError } from '../../../../shared/errors';
import { withService } from '../cliSession';
import { jsonOption } from '../options';
import { formatTable } from '../table';

const KEYS = Object.keys(settingsSchema.shape) as SettingKey[];

/** The key as typed, or a usage error listing the settings. */
function settingKey(key: string): SettingKey {
  if (!(KEYS as string[]).includes(key)) {
    throw new UserError('usage', `unknown setting "${key}"; settings are: ${KEYS.join(', ')}`);
  }
  return key as SettingKey;
}

export function registerSettingsCommands(program: Command): void {
  const settings = program.command('settings').description(`show or change settings (${KEYS.join(', ')})`);
  settings
    .command('show', { isDefault: true })
    .description('the settings and the folders NormLab uses')
    .addOption(jsonOption())
    .action(async (opts: { json?: boolean }) => {
      await withService({}, async (cli) => {
        const values = await cli.call('settings.get', {});
        const app = await cli.call('app.info', {});
        const info = {
          settings: values,
          settingsFile: app.settingsFile,
          dataDir: app.dataDir,
          database: app.dbPath,
        };
        if (opts.json) return void process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
        process.stdout.write(
          formatTable(
            ['WHAT', 'VALUE'],
            [
              ...KEYS.map((k) => [k, values[k] === undefined ? '(not set)' : String(values[k])]),
              ['database in use', app.dbPath],
              ['data directory', app.dataDir],
              ['settings file', app.settingsFile],
            ],
          ),
        );
      });
    });
  settings
    .command('set')
    .description('set a setting, e.g. `normlab settings set cifar10Dir ~/data/cifar-10-batches-bin`')
    .argument('<key>', KEYS.join(', '))
    .argument('<value>', 'the value (paths are stored absolute; poolSize is a number)')
    .action(async (key: string, value: string) => {
      const k = settingKey(key);
      await withService({}, async (cli) => {
        const typed = k === 'poolSize' ? Number(value) : value;
        const next = await cli.call('settings.set', { key: k, value: typed } as ApiParams<'settings.set'>);
        process.stdout.write(`${k} = ${String(next[k])}\n`);
      });
    });
  settings
    .command('unset')
    .description('remove a setting (back to the default)')
    .argument('<key>', KEYS.join(', '))
    .action(async (key: string) => {
      const k = settingKey(key);
      await withService({}, async (cli) => {
        await cli.call('settings.set', { key: k } as ApiParams<'settings.set'>);
        process.stdout.write(`${k} unset\n`);
      });
    });
}
