/**
 * `normlab serve` on the real NormLab service and a fresh database (NORMLAB_HOME in a temporary
 * folder): app.info and runs.list answered over the WebSocket, and a clean stop.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { decodeWire, encodeWire, type WireReply } from '../../../../src/shared/api';
import { createNormLabService } from '../../../../src/main/api/service';
import { startServe } from '../../../../src/main/hosts/serve/serve';
import { tempDirs } from '../../../helpers/tempDirs';

const temp = tempDirs('serve-real');
afterAll(() => temp.cleanup());

describe('normlab serve on the real service', () => {
  it('answers app.info and runs.list over the WebSocket', async () => {
    const home = temp.make();
    const env = { ...process.env, NORMLAB_HOME: home };
    const printed: string[] = [];
    const server = await startServe(
      { port: 0, open: false },
      {
        createService: (o) => createNormLabService({ host: 'serve', env, ...o }),
        rendererDir: `${home}/no-renderer`,
        print: (line) => void printed.push(line),
        warn: () => {},
        log: (m, e) => console.error(m, e),
        signals: { on: () => process, off: () => process },
        exitNow: () => {},
        openBrowser: () => () => {},
      },
    );
    try {
      const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws?token=${server.token}`, {
        origin: `http://127.0.0.1:${server.port}`,
      });
      const replies = new Map<number, WireReply>();
      const waiting = new Map<number, (r: WireReply) => void>();
      socket.on('message', (data) => {
        const m = decodeWire(String(data)) as WireReply;
        if (m.kind !== 'reply') return;
        replies.set(m.id, m);
        waiting.get(m.id)?.(m);
      });
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      const call = (id: number, method: string, params: unknown) =>
        new Promise<WireReply>((resolve) => {
          waiting.set(id, resolve);
          socket.send(encodeWire({ kind: 'call', id, method, params }));
        });

      const info = await call(1, 'app.info', {});
      expect(info).toMatchObject({ ok: true, result: { host: 'serve', empty: true } });
      const dbPath = (info as { result: { dbPath: string } }).result.dbPath;
      expect(dbPath.startsWith(home)).toBe(true);
      expect(printed.join('\n')).toContain(dbPath);

      expect(await call(2, 'runs.list', {})).toMatchObject({ ok: true, result: { total: 0, rows: [] } });
      expect(await call(3, 'runs.get', { runId: 'nope' })).toMatchObject({
        ok: false,
        error: { code: 'not-found' },
      });
      socket.close();
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
