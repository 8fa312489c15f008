/** A count with its noun in the right number: `counted(1, "entry", "entries")` → "1 entry". */
export function counted(n: number, one: string, many: string): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}
