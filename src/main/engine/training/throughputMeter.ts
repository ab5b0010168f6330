/** Examples per second over a sliding window of recent steps (the ETA is remainingWork.ts's). */
export class ThroughputMeter {
  private readonly window: { examples: number; ms: number }[] = [];

  constructor(private readonly size = 20) {}

  add(examples: number, ms: number): void {
    this.window.push({ examples, ms });
    if (this.window.length > this.size) this.window.shift();
  }

  reset(): void {
    this.window.length = 0;
  }

  examplesPerSec(): number {
    const ms = this.window.reduce((s, w) => s + w.ms, 0);
    const examples = this.window.reduce((s, w) => s + w.examples, 0);
    return ms > 0 ? (1000 * examples) / ms : 0;
  }
}
