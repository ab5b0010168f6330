/**
 * Quitting the desktop app with runs active: ask first, then checkpoint and stop them (they can be
 * resumed), close the store, and only then let Electron quit. Free of `electron` imports so that
 * the sequence is tested with fakes.
 */
import type { HostLog } from '../wireCall';

export interface QuitGuardOptions {
  activeRuns(): string[];
  /** Asks whether to quit with `count` runs active; true: quit. */
  confirm(count: number): Promise<boolean>;
  /** Checkpoints and stops the runs, closes the store. */
  shutdown(): Promise<void>;
  /** Quits for real (app.quit()); the guard lets that second before-quit through. */
  quit(): void;
  log: HostLog;
}

/** The question the quit dialog asks. */
export function quitQuestion(count: number): string {
  return count === 1
    ? '1 run is training. Quit and stop it? It will be checkpointed and can be resumed.'
    : `${count} runs are training. Quit and stop them? They will be checkpointed and can be resumed.`;
}

export interface QuitGuard {
  /** The `before-quit` listener. */
  beforeQuit(event: { preventDefault(): void }): void;
  /**
   * Stops the runs and quits without asking: Ctrl-C (SIGINT) or SIGTERM from a terminal or a
   * session manager, where nobody may be there to answer a dialog.
   */
  stopAndQuit(): void;
  /** True once quitting is decided (the runs are stopping or stopped): windows may close. */
  quitting(): boolean;
}

export function createQuitGuard(options: QuitGuardOptions): QuitGuard {
  let state: 'open' | 'asking' | 'stopping' | 'done' = 'open';

  const stopThenQuit = async (): Promise<void> => {
    state = 'stopping';
    try {
      await options.shutdown();
    } catch (e) {
      options.log('stopping the runs before quitting', e);
    }
    state = 'done';
    options.quit();
  };

  return {
    beforeQuit: (event) => {
      if (state === 'done') return;
      event.preventDefault();
      // A quit while the dialog is open or the runs are stopping changes nothing.
      if (state !== 'open') return;
      const count = options.activeRuns().length;
      if (count === 0) return void stopThenQuit();
      state = 'asking';
      void options.confirm(count).then(
        (yes) => {
          // A signal may have started stopping while the dialog was open.
          if (state !== 'asking') return;
          if (yes) return stopThenQuit();
          state = 'open';
        },
        (e: unknown) => {
          options.log('asking whether to quit', e);
          if (state === 'asking') state = 'open';
        },
      );
    },
    stopAndQuit: () => {
      if (state === 'open' || state === 'asking') void stopThenQuit();
    },
    quitting: () => state === 'stopping' || state === 'done',
  };
}
