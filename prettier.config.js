// Prettier (`npm run format`, `npm run format:check`; a gate in `npm test`:
// test/package/format.test.ts). Chosen to match the code as it was written, so that adopting
// the formatter changed few lines: single quotes, semicolons, trailing commas, two-space indent,
// and wide lines (of the printWidths tried, 180 rewrote the fewest existing lines: the tree had
// lines up to ~270 characters, ~400 above 140).
/** @type {import('prettier').Config} */
export default {
  printWidth: 180,
  singleQuote: true,
  trailingComma: 'all',
  semi: true,
};
