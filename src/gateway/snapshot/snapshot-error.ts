/** A configuration that cannot become a snapshot: names the document and the reason. */
import { PolicyCompileError } from '../../pipeline/policy-module.js';

export class SnapshotBuildError extends Error {
  constructor(
    /** Where the problem is (file path or resource id). */
    readonly source: string,
    readonly reason: string,
    readonly compileError?: PolicyCompileError,
  ) {
    super(`${source}: ${reason}`);
    this.name = 'SnapshotBuildError';
  }

  /** Wraps a compile error raised while compiling the document at `source`. */
  static fromCompileError(source: string, err: PolicyCompileError): SnapshotBuildError {
    return new SnapshotBuildError(source, err.message, err);
  }
}
