/**
 * Work that can wait a moment: a filter change updates what is on screen at once, and the rest (charts
 * scrolled out of view, sparklines) right after, in idle time or as soon as it scrolls into view. Each job
 * is keyed by its element, so a newer state replaces an older job that has not run yet.
 */
export interface Deferred {
  /** True when the element is on screen now (so its work should not wait). */
  visible(element: Element): boolean;
  later(element: Element, job: () => void): void;
  /** Runs the element's job now, if it still waits (a control inside it was used). */
  now(element: Element): void;
  /** Jobs not yet run. */
  pending(): number;
  /** Runs every pending job now (before printing, or when a caller needs everything current). */
  flush(): void;
}

export function deferred(onIdle: () => void): Deferred {
  const jobs = new Map<Element, () => void>();
  const onScreen = new Set<Element>();
  let scheduled = false;
  const run = (element: Element) => {
    const job = jobs.get(element);
    jobs.delete(element);
    job?.();
    if (!jobs.size) onIdle();
  };
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) {
        onScreen.add(entry.target);
        if (jobs.has(entry.target)) run(entry.target);
      } else onScreen.delete(entry.target);
    }
  });
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestIdleCallback(
      (deadline) => {
        scheduled = false;
        for (const element of jobs.keys()) {
          if (deadline.timeRemaining() < 2 && !deadline.didTimeout) break;
          run(element);
        }
        if (jobs.size) schedule();
      },
      { timeout: 200 },
    );
  };
  addEventListener('beforeprint', () => api.flush());
  const api: Deferred = {
    visible: (element) => onScreen.has(element),
    later(element, job) {
      observer.observe(element);
      jobs.set(element, job);
      schedule();
    },
    now(element) {
      if (jobs.has(element)) run(element);
    },
    pending: () => jobs.size,
    flush() {
      for (const element of [...jobs.keys()]) run(element);
    },
  };
  return api;
}
