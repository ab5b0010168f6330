/** `normlab serve`: the app in a browser (src/main/hosts/serve). */
import type { Command } from 'commander';
import { UserError } from '../../../../shared/errors';
import { dbOption } from '../options';

/** A TCP port, 0-65535 (0: any free one). */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(n) || n > 65535)
    throw new UserError('usage', `--port takes a port number 0-65535, not "${value}"`);
  return n;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'serve the app to a browser: HTTP and WebSocket on 127.0.0.1, at a URL that holds an access token ' +
        '(on a remote workstation: ssh -L 5273:127.0.0.1:5273 HOST, then open the printed URL)',
    )
    .option('--port <n>', 'port to listen on (default: 5273 if free, else any free port)')
    .option(
      '--host <address>',
      'address to listen on (default 127.0.0.1, this machine only); 0.0.0.0 lets anyone on the network with the URL in',
    )
    .addOption(dbOption())
    .option('--no-open', 'do not open the page in a browser')
    .action(async (opts: { port?: string; host?: string; db?: string; open: boolean }) => {
      const port = opts.port === undefined ? undefined : parsePort(opts.port);
      // Loaded only for `serve`: the other commands need no web server.
      const { runServe } = await import('../../serve/serveMain');
      process.exitCode = await runServe({
        ...(port !== undefined ? { port } : {}),
        ...(opts.host !== undefined ? { host: opts.host } : {}),
        ...(opts.db !== undefined ? { db: opts.db } : {}),
        open: opts.open,
      });
    });
}
