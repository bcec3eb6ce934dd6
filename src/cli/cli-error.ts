/** A mistake in how a command was called; printed without a stack trace. */
export class CliError extends Error {}
