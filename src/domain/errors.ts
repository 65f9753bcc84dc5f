/**
 * The one error type of Arrears. Every layer throws (or returns) this; the edges (CLI, HTTP, jobs) map
 * its `kind` to an exit code or HTTP status in one place each.
 *
 * @example throw new ArrearsError('not_found', `account ${ref} does not exist`)
 */
export type ErrorKind =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'contact_not_allowed'
  | 'approval_required'
  | 'account_closed'
  | 'unavailable'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited'
  | 'internal';

export interface FieldIssue {
  /** 1-based line in an input file, when the problem came from a file. */
  line?: number;
  /** Dotted path of the offending field, e.g. `installments.3.due`. */
  field: string;
  message: string;
}

export class ArrearsError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details?: { issues?: FieldIssue[]; [key: string]: unknown },
  ) {
    super(message);
    this.name = 'ArrearsError';
  }
}

export const isArrearsError = (e: unknown): e is ArrearsError => e instanceof ArrearsError;
