// Placeholder owned by the [B] helper, who replaces this file.
export async function crushTestCommand(_args: string[], _out: (s: string) => void): Promise<number> {
  throw new Error('not implemented yet');
}
