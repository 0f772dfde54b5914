/** One-line progress of `quantlens eval` on stderr: spec i/n, phase, tokens scored, time left. */
import type { SessionProgress } from "../eval/session.ts";
import type { Effects } from "./effects.ts";

const MIN_REDRAW_MS = 100;
const WIDTH = 24;

export class EvalProgressBar {
  private last = 0;
  private readonly start = Date.now();
  private tokensBefore = 0;
  private specSeen = -1;

  constructor(private readonly fx: Effects, private readonly enabled: boolean) {}

  /** Redraws for `p` (at most every MIN_REDRAW_MS). */
  update(p: SessionProgress): void {
    if (p.specIndex !== this.specSeen) { this.specSeen = p.specIndex; this.tokensBefore = p.specIndex * p.totalTokens; }
    const now = Date.now();
    if (!this.enabled || now - this.last < MIN_REDRAW_MS) return;
    this.last = now;
    const all = p.totalTokens * p.specs;
    const done = p.specIndex * p.totalTokens + p.tokens;
    const frac = all > 0 ? Math.min(1, done / all) : p.specIndex / p.specs;
    const secs = (now - this.start) / 1000;
    const left = frac > 0 ? (secs / frac) * (1 - frac) : NaN;
    const bar = "#".repeat(Math.round(frac * WIDTH)).padEnd(WIDTH, "-");
    const text = `[${bar}] ${(frac * 100).toFixed(0).padStart(3)}% spec ${p.specIndex + 1}/${p.specs} ${p.spec} ${p.phase}` +
      ` ${p.tokens}/${p.totalTokens} tokens${Number.isFinite(left) ? ` ${left.toFixed(0)}s left` : ""}`;
    this.fx.err(`\r${text.slice(0, 120).padEnd(120)}`);
  }

  /** Clears the line. */
  done(): void {
    if (this.enabled) this.fx.err(`\r${" ".repeat(120)}\r`);
  }
}
