/** `normlab settings`: where the datasets and the database are. */
import type { Command } from 'commander';
import { withApi } from '../apiFromOptions';
import { jsonOption } from '../options';
import { formatTable } from '../table';

export function registerSettingsCommands(program: Command): void {
  const settings = program.command('settings').description('show or change settings (cifar10Dir, db)');
  settings
    .command('show', { isDefault: true })
    .description('the settings and the folders NormLab uses')
    .addOption(jsonOption())
    .action(async (opts: { json?: boolean }) => {
      await withApi({}, (api) => {
        const values = { ...api.settings() };
        const info = {
          settings: values,
          settingsFile: api.locations.settingsFile,
          dataDir: api.locations.dataDir,
          database: api.dbPath,
        };
        if (opts.json) return void process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
        process.stdout.write(
          formatTable(
            ['WHAT', 'VALUE'],
            [
              ['cifar10Dir', values.cifar10Dir ?? '(not set)'],
              ['db', values.db ?? '(not set)'],
              ['database in use', api.dbPath],
              ['data directory', api.locations.dataDir],
              ['settings file', api.locations.settingsFile],
            ],
          ),
        );
      });
    });
  settings
    .command('set')
    .description('set a setting, e.g. `normlab settings set cifar10Dir ~/data/cifar-10-batches-bin`')
    .argument('<key>', 'cifar10Dir or db')
    .argument('<value>', 'the value (paths are stored absolute)')
    .action(async (key: string, value: string) => {
      await withApi({}, (api) => {
        const next = api.setSetting(key, value);
        process.stdout.write(`${key} = ${String(next[key as keyof typeof next])}\n`);
      });
    });
  settings
    .command('unset')
    .description('remove a setting (back to the default)')
    .argument('<key>', 'cifar10Dir or db')
    .action(async (key: string) => {
      await withApi({}, (api) => {
        api.setSetting(key, undefined);
        process.stdout.write(`${key} unset\n`);
      });
    });
}
