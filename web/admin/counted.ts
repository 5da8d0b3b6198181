/**
 * A count with its noun, as a list's caption says it: "1 product", "3 products".
 */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
