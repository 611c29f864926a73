// Pairs run requests with the results notifications that answer them: whether a result came
// from a one-line run (merge into the panel) or a whole-file run (replace), and whether the
// server answered by notification at all (else the request's own result is used). Pure.

interface Pending {
  seq: number;
  partial: boolean;
  notified: boolean;
}

export class RunTracker {
  private seq = 0;
  private readonly pending = new Map<string, Pending>();

  /** A run was requested; returns its sequence number. */
  begin(uri: string, partial: boolean): number {
    const seq = ++this.seq;
    this.pending.set(uri, { seq, partial, notified: false });
    return seq;
  }

  /** A results notification arrived: was the run for this uri a one-line run? */
  notified(uri: string): boolean {
    const p = this.pending.get(uri);
    if (!p) return false; // results the server pushed on its own: treat as a whole run
    p.notified = true;
    return p.partial;
  }

  /** The request returned: true when no notification answered it (use the request's result). */
  needsFallback(uri: string, seq: number): boolean {
    const p = this.pending.get(uri);
    return !!p && p.seq === seq && !p.notified;
  }

  /** Whether `seq` is still the latest run for the uri (an older run's answer must not win). */
  isLatest(uri: string, seq: number): boolean {
    return this.pending.get(uri)?.seq === seq;
  }
}
