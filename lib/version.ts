/** The tool version recorded with every run and report. */
export const VERSION = "0.1.0";
