// The few Web Platform globals the pure folders may use. They exist in every
// runtime we target (Workers, Deno, Bun, Node, browsers); declaring them here
// instead of pulling in a whole `lib` keeps Node and DOM APIs out of the build.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
  encodeInto(input: string, dest: Uint8Array): { read: number; written: number };
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
