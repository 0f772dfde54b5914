/** A user mistake (bad flag, missing file): printed as one line, mapped to an exit code. */
export class CliError extends Error {
  override name = "CliError";
  readonly exitCode: number;
  constructor(message: string, opts: { exitCode?: number } = {}) {
    super(message);
    this.exitCode = opts.exitCode ?? 2;
  }
}

/** Exit codes: 1 = the input file is bad, 2 = the command line is wrong, 3 = internal error. */
export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;
