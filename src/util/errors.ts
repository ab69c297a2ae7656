/**
 * The two error kinds of the CLI. A UserError is something the user can fix (bad config,
 * bad input file); it is printed as one line without a stack. Anything else is a bug.
 */
export type UserErrorKind = 'usage' | 'data';

export interface UserErrorOptions {
  /** How to fix it, printed after the message. */
  hint?: string;
  /** Where: a file path, optionally with `:line`, or a dotted config key. */
  where?: string;
  /** 'usage' (config / command line, exit 2) or 'data' (input data / runtime, exit 1). */
  kind?: UserErrorKind;
}

export class UserError extends Error {
  readonly hint: string | undefined;
  readonly where: string | undefined;
  readonly kind: UserErrorKind;

  constructor(message: string, options: UserErrorOptions = {}) {
    // The location leads the message, so every catcher (tests included) sees where it happened.
    super(options.where ? `${options.where}: ${message}` : message);
    this.name = 'UserError';
    this.hint = options.hint;
    this.where = options.where;
    this.kind = options.kind ?? 'data';
  }

  get exitCode(): number {
    return this.kind === 'usage' ? 2 : 1;
  }

  /** One line: `where: message (hint)`. */
  format(): string {
    return this.hint ? `${this.message} (${this.hint})` : this.message;
  }
}

/** A broken invariant inside hrnn: never the user's fault. */
export class InternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InternalError';
  }
}
