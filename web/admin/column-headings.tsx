/**
 * A table's head row: one column header cell per name, scoped to its column for screen readers.
 */
export function ColumnHeadings({ names }: { names: string[] }) {
  return (
    <thead>
      <tr>
        {names.map((name) => (
          <th scope="col" key={name}>
            {name}
          </th>
        ))}
      </tr>
    </thead>
  );
}
