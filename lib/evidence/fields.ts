/** Typed field readers for the evidence CSVs: each failure is a FormatError naming file, line and column. */
import { FormatError } from "../formats/errors.ts";

/** Reads typed cells of one record (line numbers count the header as line 1). */
export class Fields {
  constructor(readonly file: string, readonly line: number, readonly rec: Record<string, string>) {}

  private fail(col: string, detail: string): never {
    throw new FormatError(this.file, `line ${this.line} column ${col}`, detail);
  }

  /** A non-empty string. */
  text(col: string): string {
    const v = this.rec[col] ?? "";
    if (v === "") this.fail(col, "empty, a value is required");
    return v;
  }

  /** A string, or null when empty. */
  optText(col: string): string | null {
    const v = this.rec[col] ?? "";
    return v === "" ? null : v;
  }

  /** A finite number, or null when empty. */
  optNumber(col: string): number | null {
    const v = this.rec[col] ?? "";
    if (v === "") return null;
    const x = Number(v);
    if (!Number.isFinite(x) || !/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) this.fail(col, `"${v}" is not a number`);
    return x;
  }

  /** A finite number (required). */
  number(col: string): number {
    const x = this.optNumber(col);
    if (x === null) this.fail(col, "empty, a number is required");
    return x;
  }

  /** `true` or `false`. */
  bool(col: string): boolean {
    const v = this.rec[col];
    if (v !== "true" && v !== "false") this.fail(col, `"${v}" is not true/false`);
    return v === "true";
  }

  /** One of `allowed` (empty allowed when `allowed` has ""). */
  oneOf<T extends string>(col: string, allowed: readonly T[]): T {
    const v = this.rec[col] ?? "";
    if (!(allowed as readonly string[]).includes(v)) this.fail(col, `"${v}" is not one of ${allowed.filter(Boolean).join(", ")}`);
    return v as T;
  }

  /** A string matching `re`. */
  matching(col: string, re: RegExp): string {
    const v = this.rec[col] ?? "";
    if (!re.test(v)) this.fail(col, `"${v}" does not match ${re}`);
    return v;
  }
}
