/**
 * splitmix32: a tiny, fast, well-mixed 32-bit PRNG. Deterministic generated data (demo, benchmarks) and
 * simulations use one seeded stream of it, so the same seed gives the same result everywhere.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return ((z ^ (z >>> 15)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** `count` decimal digits (count ≤ 9), the first one from `first`..9. */
  digits(count: number, first = 0): string {
    const head = String(this.int(first, 9));
    if (count === 1) return head;
    const rest = count - 1;
    return head + String(this.int(0, 10 ** rest - 1)).padStart(rest, '0');
  }
}
