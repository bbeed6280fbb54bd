import { expect } from 'vitest';

/**
 * Where the browser's figures and DuckDB's disagree, collected over a whole property test, so that a failure
 * says how many there are and shows the first few rather than stopping at the first.
 */
export class Mismatches {
  private readonly found: unknown[] = [];

  /** Records `what` (with its context, e.g. the filter state) when the two differ as toEqual sees it. */
  compare(context: object, what: string, browser: unknown, sql: unknown): void {
    try {
      expect(browser).toEqual(sql);
    } catch {
      this.found.push({ ...context, what, browser, sql });
    }
  }

  add(...found: object[]): void {
    this.found.push(...found);
  }

  expectNone(shown = 3): void {
    expect({ count: this.found.length, first: this.found.slice(0, shown) }).toEqual({ count: 0, first: [] });
  }
}
