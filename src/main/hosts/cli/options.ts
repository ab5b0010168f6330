/** Options shared by several commands. */
import { Option } from 'commander';
import { BACKENDS } from '../../../shared/config';

export function dbOption(): Option {
  return new Option(
    '--db <path>',
    'SQLite database file (default: the "db" setting, else the user data directory)',
  );
}

export function backendOption(): Option {
  return new Option('--backend <name>', 'compute backend').choices([...BACKENDS]);
}

export function jsonOption(): Option {
  return new Option('--json', 'print JSON for scripts');
}
