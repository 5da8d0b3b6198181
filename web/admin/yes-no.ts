/**
 * A boolean as a table shows it.
 */
export function yesNo(value: boolean): string {
  return value ? 'Yes' : 'No';
}
