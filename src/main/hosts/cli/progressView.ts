/**
 * The live view of a training run in a terminal: a progress bar with step, loss, accuracy,
 * examples/s and ETA on a TTY; one line per logged metric step otherwise (logs, CI, pipes).
 */
import cliProgress from 'cli-progress';
import type { RunEvent } from '../../../shared/events';

type Progress = Extract<RunEvent, { type: 'progress' }>;

export function formatDuration(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec)) return '--';
  const s = Math.max(0, Math.round(sec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0
    ? `${h}h${String(m).padStart(2, '0')}m`
    : m > 0
      ? `${m}m${String(r).padStart(2, '0')}s`
      : `${r}s`;
}

export function formatLoss(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4);
}

export function progressLine(p: Progress, unit: string): string {
  const acc = p.accuracy === null ? '' : ` acc ${(100 * p.accuracy).toFixed(1)}%`;
  return `step ${p.step}/${p.totalSteps} loss ${formatLoss(p.loss)}${acc} ${p.examplesPerSec.toFixed(0)} ${unit}/s ETA ${formatDuration(p.etaSec)}`;
}

export class ProgressView {
  private bar: cliProgress.SingleBar | undefined;
  private lastLine = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly unit: string,
    private readonly interactive = Boolean(out.isTTY),
  ) {}

  onEvent(event: RunEvent): void {
    if (event.type === 'started') {
      const threads = event.backend.details.threadsCount;
      const name =
        typeof threads === 'number' ? `${event.backend.name} (${threads} thread(s))` : event.backend.name;
      const where = `${name} on ${event.backend.device}${event.backend.software ? ' (software device: slow)' : ''}`;
      this.out.write(`training ${event.parameters.toLocaleString('en-US')} parameters with ${where}\n`);
      if (event.fromStep > 0) this.out.write(`resuming at step ${event.fromStep}\n`);
      if (this.interactive) {
        this.bar = new cliProgress.SingleBar(
          {
            stream: this.out,
            format: 'step {value}/{total} |{bar}| {percentage}% loss {loss}{acc} {rate} ETA {etaText}',
            hideCursor: true,
            barsize: 24,
          },
          cliProgress.Presets.shades_classic,
        );
        this.bar.start(event.totalSteps, event.fromStep, { loss: '-', acc: '', rate: '', etaText: '--' });
      }
    } else if (event.type === 'progress') {
      if (this.bar) {
        this.bar.update(event.step, {
          loss: formatLoss(event.loss),
          acc: event.accuracy === null ? '' : ` acc ${(100 * event.accuracy).toFixed(1)}%`,
          rate: `${event.examplesPerSec.toFixed(0)} ${this.unit}/s`,
          etaText: formatDuration(event.etaSec),
        });
      } else {
        const now = Date.now();
        if (now - this.lastLine >= 2000 || event.step === event.totalSteps) {
          this.lastLine = now;
          this.out.write(`${progressLine(event, this.unit)}\n`);
        }
      }
    } else if (event.type === 'paused') {
      this.println(`paused at step ${event.step}`);
    } else if (event.type === 'resumed') {
      this.println(`resumed at step ${event.step}`);
    } else if (event.type === 'ended') {
      this.bar?.stop();
      this.bar = undefined;
    }
  }

  close(): void {
    this.bar?.stop();
    this.bar = undefined;
  }

  private println(text: string): void {
    if (this.bar) {
      this.bar.stop();
      this.out.write(`${text}\n`);
    } else this.out.write(`${text}\n`);
  }
}
