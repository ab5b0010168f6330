/**
 * The Electron shell: one sandboxed window showing the renderer, the API over IPC (./ipcAdapter.ts),
 * OS notifications when runs end, and a quit that checkpoints active runs. Training runs in the
 * service's worker threads, never on this thread. Kept to wiring: the rules live in modules that
 * do not import 'electron' (ipcAdapter, appPage, quitGuard, runNotification) and are unit-tested.
 */
import { join, resolve } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Notification,
  session,
  shell,
  type WebContents,
} from 'electron';
import { dispatch } from '../../api/dispatch';
import { createNormLabService, type NormLabService } from '../../api/service';
import type { HostLog } from '../wireCall';
import { appContentSecurityPolicy, appPage, externalLink, isAppPageUrl, withCspHeader } from './appPage';
import { attachIpc } from './ipcAdapter';
import { createQuitGuard, quitQuestion, type QuitGuard } from './quitGuard';
import { runNotice } from './runNotification';

const log: HostLog = (message, error) => {
  process.stderr.write(`normlab: ${message}\n`);
  if (error !== undefined) console.error(error);
};

const page = appPage(
  join(import.meta.dirname, '../renderer/index.html'),
  // Set by `electron-vite dev` only; a packaged or previewed app always loads its own files.
  app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'],
);

let mainWindow: BrowserWindow | null = null;
let service: NormLabService | null = null;
let quitGuard: QuitGuard | null = null;
/** Set once the service is up and the IPC handler is in place: windows may be opened from then on. */
let started = false;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 500,
    title: 'NormLab',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('close', (event) => {
    // Closing the last window with runs active is quitting: ask first (the quit guard), and keep
    // the window open if the answer is to keep training.
    const last = BrowserWindow.getAllWindows().length === 1;
    if (!last || process.platform === 'darwin' || quitGuard === null || quitGuard.quitting()) return;
    if ((service?.activeRuns().length ?? 0) === 0) return;
    event.preventDefault();
    app.quit();
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(page.url);
  return win;
}

function focusWindow(): void {
  if (!started) return;
  if (mainWindow === null) {
    mainWindow = createWindow();
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/** No navigation away from the app, no new windows, no webviews; https links open in the browser. */
function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppPageUrl(page, url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppPageUrl(page, url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const link = externalLink(url);
    if (link !== null) void shell.openExternal(link);
    return { action: 'deny' };
  });
}

function secureSession(): void {
  const csp = appContentSecurityPolicy(page);
  // Headers reach http(s) responses (the dev server); file:// pages get the same policy from the
  // meta tag in src/renderer/index.html.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders, csp) });
  });
  // The page needs no camera, geolocation, notifications or the like: notifications come from here.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/** OS notifications when a run finishes, fails or diverges: this process's own `runs` subscription. */
async function notifyRunEnds(service: NormLabService): Promise<void> {
  const own = service.openSession((event) => {
    const notice = runNotice(event);
    if (notice === null || !Notification.isSupported()) return;
    const n = new Notification({ title: notice.title, body: notice.body });
    n.on('click', focusWindow);
    n.show();
  });
  await dispatch(service.handlers, own, 'events.subscribe', { topic: 'runs' });
}

async function start(service: NormLabService): Promise<void> {
  secureSession();
  attachIpc({ ipcMain, service, log, isTrustedFrame: (url) => isAppPageUrl(page, url) });
  await notifyRunEnds(service).catch((e: unknown) => log('subscribing to run notifications', e));
  started = true;
  mainWindow = createWindow();
}

function main(): void {
  // NORMLAB_HOME moves everything NormLab keeps, Electron's own profile too (and with it the
  // single-instance lock: an app on another home is another instance).
  const home = process.env['NORMLAB_HOME'];
  if (home) app.setPath('userData', join(resolve(home), 'electron'));
  // A second launch hands over to the first (which focuses its window) and leaves.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.enableSandbox();
  app.on('second-instance', focusWindow);
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));

  const guard = createQuitGuard({
    activeRuns: () => service?.activeRuns() ?? [],
    confirm: async (count) => {
      const options = {
        type: 'question' as const,
        buttons: ['Quit and stop them', 'Keep training'],
        defaultId: 1,
        cancelId: 1,
        title: 'Quit NormLab?',
        message: quitQuestion(count),
      };
      const answer = mainWindow
        ? await dialog.showMessageBox(mainWindow, options)
        : await dialog.showMessageBox(options);
      return answer.response === 0;
    },
    shutdown: async () => {
      await service?.shutdown();
    },
    quit: () => app.quit(),
    log,
  });
  quitGuard = guard;
  app.on('before-quit', guard.beforeQuit);
  // Ctrl-C in the terminal that started the app: checkpoint the runs and quit, no dialog.
  process.on('SIGINT', guard.stopAndQuit);
  process.on('SIGTERM', guard.stopAndQuit);
  app.on('window-all-closed', () => {
    // On macOS the app (and its runs) stays up with no window, as Mac apps do.
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', focusWindow);

  void app.whenReady().then(async () => {
    try {
      service = createNormLabService({ host: 'electron' });
      await start(service);
    } catch (e) {
      log('starting NormLab', e);
      dialog.showErrorBox('NormLab could not start', e instanceof Error ? e.message : String(e));
      app.exit(1);
    }
  });
}

main();
