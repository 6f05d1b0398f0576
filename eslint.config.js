// ESLint flat config (`npm run lint`, and a gate in `npm test`: test/package/lint.test.ts).
// typescript-eslint's strict type-checked rules over every TypeScript folder; type information
// comes from each folder's own tsconfig (protocol/, crush/, src/, test/, bench/), which the
// project service finds for each file as the editor would.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      'dist/**',
      'fixtures/**',
      'notes/**',
      '.cluster/**',
      '.ceph-bin/**',
      // The consumer imports `rados-ts` from the packed tarball; it is type-checked there,
      // against the built declarations, by test/package/consumer-types.test.ts.
      'test/package/consumer/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Top-level config files belong to no folder's tsconfig.
        projectService: { allowDefaultProject: ['*.js', '*.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The three this project relies on most (async I/O everywhere, unions of Ceph message
      // types), named here so that no preset change can drop them.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false }],
      // Numbers, bigints and booleans print as expected in messages; undefined, null, objects
      // and arrays still may not be interpolated by accident.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowRegExp: true }],
      // `() => resolve()`-style shorthand callbacks are the house style; a void value used
      // anywhere else is still an error.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // With noUncheckedIndexedAccess every `table[i]` is `T | undefined`; the decoders and
      // CRUSH/CRC loops index within bounds they have just checked and assert with `!`
      // (the strict preset's ban on `!` would put a runtime check in each hot loop).
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Passing on a caught or caller-supplied reason unchanged (typed unknown) is what a
      // wrapper must do; a literal or a known non-Error still may not be a rejection reason.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // A leading underscore marks a deliberately unused binding.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  { files: ['**/*.js'], extends: [tseslint.configs.disableTypeChecked] },
);
