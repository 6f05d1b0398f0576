// Only what the dependency benchmark uses of buffer-layout (it ships no types).
declare module 'buffer-layout' {
  interface Layout {
    decode(b: Uint8Array, offset?: number): Record<string, number>;
  }
  const BufferLayout: {
    struct(fields: Layout[]): Layout;
    u16(property: string): Layout;
    u32(property: string): Layout;
    nu64(property: string): Layout;
  };
  export default BufferLayout;
}
