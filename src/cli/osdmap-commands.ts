// Placeholder owned by the [B] helper, who replaces this file.
export async function osdmapCommand(_args: string[], _out: (s: string) => void): Promise<number> {
  throw new Error('not implemented yet');
}
