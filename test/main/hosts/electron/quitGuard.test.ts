/** Quitting the desktop app: ask when runs are active, then stop them (checkpointed) and quit. */
import { describe, expect, it } from 'vitest';
import { createQuitGuard, quitQuestion } from '../../../../src/main/hosts/electron/quitGuard';

function setup(active: string[], answer: boolean | Promise<boolean>) {
  const seen = { asked: [] as number[], shutdowns: 0, quits: 0, prevented: 0, logged: [] as string[] };
  let release: () => void = () => {};
  const shutdownDone = new Promise<void>((resolve) => (release = resolve));
  const guard = createQuitGuard({
    activeRuns: () => active,
    confirm: async (count) => {
      seen.asked.push(count);
      return await answer;
    },
    shutdown: async () => {
      seen.shutdowns++;
      await shutdownDone;
    },
    quit: () => void seen.quits++,
    log: (m) => void seen.logged.push(m),
  });
  const beforeQuit = () => guard.beforeQuit({ preventDefault: () => void seen.prevented++ });
  return { seen, beforeQuit, release, guard };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('quitting', () => {
  it('asks with the count, then shuts down and quits', async () => {
    const { seen, beforeQuit, release } = setup(['a', 'b'], true);
    beforeQuit();
    await tick();
    expect(seen.asked).toEqual([2]);
    expect(seen.shutdowns).toBe(1);
    beforeQuit(); // a second Cmd-Q while stopping changes nothing
    expect(seen.shutdowns).toBe(1);
    release();
    await tick();
    expect(seen.quits).toBe(1);
    beforeQuit(); // the real quit goes through
    expect(seen.prevented).toBe(2);
  });

  it('keeps training when the answer is no, and asks again next time', async () => {
    const { seen, beforeQuit } = setup(['a'], false);
    beforeQuit();
    await tick();
    expect(seen.shutdowns).toBe(0);
    expect(seen.quits).toBe(0);
    beforeQuit();
    await tick();
    expect(seen.asked).toEqual([1, 1]);
  });

  it('still closes the store without asking when no run is active', async () => {
    const { seen, beforeQuit, release } = setup([], true);
    release();
    beforeQuit();
    await tick();
    expect(seen.asked).toEqual([]);
    expect(seen.shutdowns).toBe(1);
    expect(seen.quits).toBe(1);
  });

  it('stops and quits without asking on a signal, even with the dialog open', async () => {
    let answer: (yes: boolean) => void = () => {};
    const { seen, beforeQuit, release, guard } = setup(['a'], new Promise<boolean>((r) => (answer = r)));
    beforeQuit();
    await tick();
    guard.stopAndQuit();
    guard.stopAndQuit();
    release();
    await tick();
    expect(seen.shutdowns).toBe(1);
    expect(seen.quits).toBe(1);
    answer(false); // the dialog's late answer changes nothing
    await tick();
    expect(seen.quits).toBe(1);
  });

  it('words the question as the user reads it', () => {
    expect(quitQuestion(3)).toBe(
      '3 runs are training. Quit and stop them? They will be checkpointed and can be resumed.',
    );
    expect(quitQuestion(1)).toContain('1 run is training');
  });
});
