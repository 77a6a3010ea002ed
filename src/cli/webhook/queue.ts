/**
 * The review queue: at most `concurrent` reviews read and answered at once, at most `queued`
 * waiting unread behind them. A request past both is refused (429) before its body is read,
 * so the webhook's memory has a bound whatever the API server sends.
 */
export class ReviewQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly concurrent: number,
    readonly queued: number,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Runs `go` in a slot now, or when one frees; false when the queue is full too. */
  admit(go: () => void): boolean {
    if (this.running < this.concurrent) {
      this.running++;
      go();
      return true;
    }
    if (this.waiting.length >= this.queued) return false;
    this.waiting.push(() => {
      this.running++;
      go();
    });
    return true;
  }

  /** A slot freed: the next waiting review runs in it. */
  release(): void {
    this.running--;
    this.waiting.shift()?.();
  }
}
