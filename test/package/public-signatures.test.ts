// The public signatures name their types. TypeDoc's `notExported` validation (typedoc.test.ts)
// fails a signature naming a type its entry does not export, but an inline object type
// (`opts: { max?: number }`, `Promise<{ keys: string[] }>`) is no symbol at all, so it passes:
// a caller can then neither import the shape nor find it documented. This walks the built
// declarations (dist/, as `tsc -b` leaves them) of each package entry, every public member of
// every exported class and interface and every exported function, and fails on an object
// literal type in a parameter, return, property or accessor type. Both runtime entries
// (index.ts, index.workerd.ts) must export the same names, so a type named for one is there
// in the other.
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from './pack.ts';

const ENTRIES = {
  'rados-ts': 'dist/src/index.d.ts',
  'rados-ts (workerd)': 'dist/src/index.workerd.d.ts',
  'rados-ts/crush': 'dist/crush/index.d.ts',
  'rados-ts/protocol': 'dist/protocol/index.d.ts',
} as const;

const program = ts.createProgram(
  Object.values(ENTRIES).map((f) => join(ROOT, f)),
  {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts'],
    types: ['node'],
    noEmit: true,
    skipLibCheck: true,
  },
);
const checker = program.getTypeChecker();

function exportsOf(entry: string): ts.Symbol[] {
  const sf = program.getSourceFile(join(ROOT, entry));
  if (!sf) throw new Error(`${entry} is not built: run tsc -b`);
  const mod = checker.getSymbolAtLocation(sf);
  if (!mod) throw new Error(`${entry} has no module symbol`);
  return checker.getExportsOfModule(mod).map((s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s));
}

/** Whether a member is hidden from callers: private, protected or a #private field. */
function hidden(d: ts.Declaration): boolean {
  const name = ts.getNameOfDeclaration(d);
  if (name && ts.isPrivateIdentifier(name)) return true;
  const flags = ts.getCombinedModifierFlags(d);
  return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0;
}

/** The object literal types anywhere in a type annotation (callbacks' parameters included). */
function inlineObjects(node: ts.Node | undefined): string[] {
  if (!node) return [];
  if (ts.isTypeLiteralNode(node)) return [node.getText().replace(/\s+/g, ' ')];
  const found: string[] = [];
  ts.forEachChild(node, (c) => void found.push(...inlineObjects(c)));
  return found;
}

/** The type annotations of a member or function: parameters, return, property or accessor type. */
function annotations(d: ts.Declaration): Array<ts.TypeNode | undefined> {
  if (ts.isFunctionLike(d)) return [...d.parameters.map((p) => p.type), d.type];
  if (ts.isPropertyDeclaration(d) || ts.isPropertySignature(d)) return [d.type];
  return [];
}

/** `Owner.member: { … }` for each inline object type in a public member's signature. */
function violations(owner: string, members: ts.Symbol[]): string[] {
  const out: string[] = [];
  for (const m of members) {
    for (const d of m.declarations ?? []) {
      if (hidden(d)) continue;
      for (const t of annotations(d)) for (const lit of inlineObjects(t)) out.push(`${owner}.${m.name}: ${lit}`);
    }
  }
  return out;
}

function publicSignatureViolations(entry: string): string[] {
  const out: string[] = [];
  for (const sym of exportsOf(entry)) {
    if (sym.flags & ts.SymbolFlags.Class) {
      const instance = checker.getDeclaredTypeOfSymbol(sym);
      const statics = checker.getTypeOfSymbol(sym);
      out.push(...violations(sym.name, checker.getPropertiesOfType(instance)));
      out.push(
        ...violations(
          sym.name,
          checker.getPropertiesOfType(statics).filter((p) => p.name !== 'prototype'),
        ),
      );
      for (const sig of checker.getSignaturesOfType(statics, ts.SignatureKind.Construct)) {
        const d = sig.getDeclaration() as ts.Declaration | undefined;
        if (d && !hidden(d)) for (const t of annotations(d)) for (const lit of inlineObjects(t)) out.push(`new ${sym.name}: ${lit}`);
      }
    } else if (sym.flags & ts.SymbolFlags.Interface) {
      // Methods of interfaces (WatchHandle.close, Transport.write…); plain data properties may nest.
      out.push(
        ...violations(
          sym.name,
          checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(sym)).filter((p) => p.flags & ts.SymbolFlags.Method),
        ),
      );
    } else if (sym.flags & ts.SymbolFlags.Function) {
      out.push(...violations('(function)', [sym]));
    }
  }
  return out;
}

describe('public signatures', () => {
  it.each(Object.keys(ENTRIES) as Array<keyof typeof ENTRIES>)('%s: every option and result type of a public method is a named type', (entry) => {
    expect(publicSignatureViolations(ENTRIES[entry])).toEqual([]);
  });

  it('both runtime entries export the same names', () => {
    const names = (e: string): string[] =>
      exportsOf(e)
        .map((s) => s.name)
        .sort();
    expect(names(ENTRIES['rados-ts (workerd)'])).toEqual(names(ENTRIES['rados-ts']));
  });
});
