import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../../../../src/shared/events';
import {
  formatDuration,
  formatLoss,
  ProgressView,
  progressLine,
} from '../../../../src/main/hosts/cli/progressView';

type Progress = Extract<RunEvent, { type: 'progress' }>;

function progress(step: number, extra: Partial<Progress> = {}): Progress {
  return {
    type: 'progress',
    step,
    totalSteps: 100,
    loss: 2.302585,
    accuracy: 0.125,
    examplesPerSec: 512.4,
    etaSec: 95,
    ...extra,
  };
}

const started: RunEvent = {
  type: 'started',
  backend: { name: 'webgpu', device: 'llvmpipe', software: true, details: {} },
  fromStep: 0,
  totalSteps: 100,
  parameters: 1234567,
};

/** A non-TTY stream that records what is written. */
function fakeStream(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = {
    isTTY: false,
    write: (chunk: string) => {
      chunks.push(chunk);
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

describe('formatDuration', () => {
  it('seconds, minutes+seconds, hours+minutes', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(59.4)).toBe('59s');
    expect(formatDuration(59.6)).toBe('1m00s');
    expect(formatDuration(61)).toBe('1m01s');
    expect(formatDuration(3599)).toBe('59m59s');
    expect(formatDuration(3600)).toBe('1h00m');
    expect(formatDuration(7322)).toBe('2h02m');
  });

  it('unknown or non-finite is --, negative clamps to 0s', () => {
    expect(formatDuration(null)).toBe('--');
    expect(formatDuration(Infinity)).toBe('--');
    expect(formatDuration(NaN)).toBe('--');
    expect(formatDuration(-5)).toBe('0s');
  });
});

describe('formatLoss', () => {
  it('fixed 4 decimals in the usual range, exponent for tiny or huge values', () => {
    expect(formatLoss(2.302585)).toBe('2.3026');
    expect(formatLoss(0)).toBe('0.0000');
    expect(formatLoss(0.001)).toBe('0.0010');
    expect(formatLoss(0.000123456)).toBe('1.235e-4');
    expect(formatLoss(9999.5)).toBe('9999.5000');
    expect(formatLoss(12345.678)).toBe('1.235e+4');
    expect(formatLoss(-0.5)).toBe('-0.5000');
  });

  it('spells out non-finite losses (a diverged run)', () => {
    expect(formatLoss(NaN)).toBe('NaN');
    expect(formatLoss(Infinity)).toBe('Infinity');
  });
});

describe('progressLine', () => {
  it('step, loss, accuracy, rate and ETA', () => {
    expect(progressLine(progress(40), 'images')).toBe(
      'step 40/100 loss 2.3026 acc 12.5% 512 images/s ETA 1m35s',
    );
  });

  it('leaves accuracy out for regression and shows an unknown ETA as --', () => {
    expect(progressLine(progress(1, { accuracy: null, etaSec: null, loss: 1e-5 }), 'samples')).toBe(
      'step 1/100 loss 1.000e-5 512 samples/s ETA --',
    );
  });
});

describe('ProgressView on a non-TTY stream', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('announces the start with the parameter count, backend and device', () => {
    const { stream, text } = fakeStream();
    new ProgressView(stream, 'images').onEvent(started);
    expect(text()).toBe('training 1,234,567 parameters with webgpu on llvmpipe (software device: slow)\n');
  });

  it('says where a resumed run starts', () => {
    const { stream, text } = fakeStream();
    new ProgressView(stream, 'images').onEvent({
      ...started,
      backend: { name: 'wasm', device: 'AMD EPYC', software: false, details: { threadsCount: 2 } },
      fromStep: 60,
    });
    expect(text()).toBe(
      'training 1,234,567 parameters with wasm (2 thread(s)) on AMD EPYC\nresuming at step 60\n',
    );
  });

  it('writes at most one progress line per 2 s, and always the last step', () => {
    const { stream, text } = fakeStream();
    const view = new ProgressView(stream, 'images');
    view.onEvent(started);
    view.onEvent(progress(10));
    vi.advanceTimersByTime(1999);
    view.onEvent(progress(20));
    vi.advanceTimersByTime(1);
    view.onEvent(progress(30));
    view.onEvent(progress(40));
    view.onEvent(progress(100, { etaSec: 0 }));
    view.onEvent({ type: 'ended', outcome: 'completed', step: 100 });
    view.close();
    const lines = text().trimEnd().split('\n');
    expect(lines.slice(1)).toEqual([
      'step 10/100 loss 2.3026 acc 12.5% 512 images/s ETA 1m35s',
      'step 30/100 loss 2.3026 acc 12.5% 512 images/s ETA 1m35s',
      'step 100/100 loss 2.3026 acc 12.5% 512 images/s ETA 0s',
    ]);
  });

  it('reports pause and resume; ended writes nothing more (the command prints the outcome)', () => {
    const { stream, text } = fakeStream();
    const view = new ProgressView(stream, 'samples');
    view.onEvent({ type: 'paused', step: 5 });
    view.onEvent({ type: 'resumed', step: 5 });
    view.onEvent({ type: 'metrics', points: [{ series: 'train/loss', step: 5, value: 1 }] });
    view.onEvent({ type: 'ended', outcome: 'stopped', step: 5 });
    expect(text()).toBe('paused at step 5\nresumed at step 5\n');
  });
});
