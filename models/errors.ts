/**
 * The two errors the models area raises on purpose. Both mean "the input is wrong, not the program": the command
 * line turns them into one line on stderr and exit code 2; anything else is a bug and keeps its stack.
 */

/** A command-line argument is missing, unknown or out of range. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** The data cannot be used as asked: empty file, missing label column, text in a numeric label, ... */
export class DataError extends Error {
  override readonly name = 'DataError'
}

/** True for the errors that are the caller's input problem (exit code 2), false for bugs. */
export function isInputError(err: unknown): err is UsageError | DataError {
  return err instanceof UsageError || err instanceof DataError
}
