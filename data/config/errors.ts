/**
 * The one error for bad configuration: a single line naming the variable, its value (secrets masked) and what
 * is wrong, so a failed start-up says exactly what to set.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'

  constructor(
    readonly variable: string,
    readonly shownValue: string | undefined,
    readonly problem: string,
  ) {
    const subject = shownValue === undefined ? `${variable} (not set)` : `${variable}="${shownValue}"`
    super(`config: ${subject} ${problem}`.replace(/\s+/g, ' ').trim())
  }
}
