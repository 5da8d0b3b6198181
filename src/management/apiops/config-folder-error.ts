/**
 * The one error reading or importing an APIOps folder throws: it names the file (relative to the
 * folder) and the reason, so `gatehouse start --config DIR` can print one actionable line.
 */
export class ConfigFolderError extends Error {
  constructor(
    /** The file or folder at fault, relative to the configuration folder ('/'-separated). */
    readonly file: string,
    /** What is wrong with it. */
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'ConfigFolderError';
  }
}
