import { fmtBytes } from "../viz/format.ts";
import type { Effects } from "./effects.ts";
import { escapeControl } from "./escape.ts";

/** Redraws at most this often, so progress costs nothing next to the work. */
const MIN_REDRAW_MS = 100;
const BAR_WIDTH = 28;

/** A one-line progress bar on stderr: items, bytes, rate and time left. Silent when not a TTY unless `force`. */
export class ProgressBar {
  private last = 0;
  private readonly start = Date.now();
  constructor(
    private readonly fx: Effects,
    private readonly totalBytes: number,
    private readonly totalItems: number,
    private readonly enabled = fx.isTTY,
  ) {}

  /** Reports `bytes` read so far and `items` finished; `label` is the current tensor. */
  update(bytes: number, items: number, label = ""): void {
    const now = Date.now();
    if (!this.enabled || now - this.last < MIN_REDRAW_MS) return;
    this.last = now;
    const frac = this.totalBytes > 0 ? Math.min(1, bytes / this.totalBytes) : 0;
    const filled = Math.round(frac * BAR_WIDTH);
    const secs = (now - this.start) / 1000;
    const rate = secs > 0 ? bytes / secs : 0;
    const left = rate > 0 ? (this.totalBytes - bytes) / rate : NaN;
    const bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
    const text =
      `[${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${items}/${this.totalItems} tensors ` +
      `${fmtBytes(bytes)}/${fmtBytes(this.totalBytes)} ${fmtBytes(rate)}/s ` +
      `${Number.isFinite(left) ? `${left.toFixed(0)}s left` : ""} ${escapeControl(label)}`;
    this.fx.err(`\r${text.slice(0, 160).padEnd(160)}`);
  }

  /** Clears the bar line. */
  done(): void {
    if (this.enabled) this.fx.err(`\r${" ".repeat(160)}\r`);
  }
}
