/**
 * `normlab serve` in a real process: the NormLab service on its database, the terminal for output,
 * the process's signals for Ctrl-C. Loaded by the CLI only when `serve` runs, so that other
 * commands do not load the web server.
 */
import { createNormLabService } from '../../api/service';
import { defaultRendererDir, openInBrowser, startServe, type ServeOptions } from './serve';

/** Serves until Ctrl-C; resolves with the exit code. */
export async function runServe(options: ServeOptions): Promise<number> {
  const server = await startServe(options, {
    createService: (o) => createNormLabService({ host: 'serve', ...o }),
    rendererDir: defaultRendererDir(import.meta.dirname),
    print: (line) => void process.stdout.write(`${line}\n`),
    warn: (line) => void process.stderr.write(`${line}\n`),
    log: (message, error) => {
      process.stderr.write(`normlab serve: ${message}\n`);
      if (error !== undefined) console.error(error);
    },
    signals: process,
    exitNow: (code) => process.exit(code),
    openBrowser: (url) => openInBrowser(url),
  });
  return await server.stopped;
}
