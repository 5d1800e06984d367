/**
 * A counting semaphore over decoded pixels: an import decodes several files at once, but
 * never more than `limit` declared pixels together (one file alone may always go, so a single
 * image at the limit still imports).
 */
export class PixelBudget {
  private inUse = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async acquire(pixels: number): Promise<() => void> {
    while (this.inUse > 0 && this.inUse + pixels > this.limit) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.inUse += pixels;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse -= pixels;
      for (const wake of this.waiters.splice(0)) wake();
    };
  }

  get pixelsInUse(): number {
    return this.inUse;
  }
}
