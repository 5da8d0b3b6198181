/** A resolved type as the runtime sees it (canonical name, type arguments, array rank, `?`). */
export interface RtType {
  name: string;
  args: RtType[];
  arrayRank: number;
  nullable: boolean;
  /** A tuple type `(int code, string)`: its element names (name is `ValueTuple`, args the element types). */
  tupleNames?: ReadonlyArray<string | undefined>;
}

/** A simple type without arguments. */
export function simpleType(name: string): RtType {
  return { name, args: [], arrayRank: 0, nullable: false };
}

/** How a type is written in C# (for messages): `int`, `List<string>`, `string[]`. */
export function typeText(t: RtType): string {
  if (t.tupleNames) return `(${t.args.map((a, i) => typeText(a) + (t.tupleNames![i] ? ' ' + t.tupleNames![i] : '')).join(', ')})`;
  let s = t.name + (t.args.length ? `<${t.args.map(typeText).join(', ')}>` : '');
  if (t.nullable) s += '?';
  for (let i = 0; i < t.arrayRank; i++) s += '[]';
  return s;
}
