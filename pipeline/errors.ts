/**
 * A problem with the user's input or settings: printed as a message that names where it is and what to do,
 * never as a stack trace.
 */
export class UserError extends Error {
  readonly where: { file?: string; line?: number; column?: string };
  readonly fix?: string;

  constructor(message: string, where: { file?: string; line?: number; column?: string } = {}, fix?: string) {
    super(message);
    this.where = where;
    this.fix = fix;
    this.name = 'UserError';
  }

  /** The same error, said of another file (a download's URL rather than its copy). */
  at(file: string): UserError {
    return new UserError(this.message, { ...this.where, file }, this.fix);
  }

  format(): string {
    const place = [this.where.file, this.where.line && `line ${this.where.line}`, this.where.column && `column ${this.where.column}`]
      .filter(Boolean)
      .join(', ');
    return [place ? `${place}: ${this.message}` : this.message, this.fix && `  fix: ${this.fix}`].filter(Boolean).join('\n');
  }
}
