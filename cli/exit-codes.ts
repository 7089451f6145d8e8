/**
 * Exit codes: the one place they are defined. Documented in the README ("Exit codes").
 *
 * - 0 OK: the command did what it was asked; for `drift`, every target was checked and is in sync;
 *   for `policy diff`, the two policies mean the same.
 * - 1 FAILURE: something could not be done or checked (bad input, unreadable state, AWS refused,
 *   a target could not be checked). For `drift`, this wins over 2: the report still lists the drift found.
 * - 2 DIFFERENCES: the check ran everywhere and found drift (`drift`) or a difference (`policy diff`).
 */
export const ExitCode = {
  OK: 0,
  FAILURE: 1,
  DIFFERENCES: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
