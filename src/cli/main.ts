#!/usr/bin/env node
// rados-ts command line. Subcommands load lazily so `--help` stays instant.
const HELP = `rados-ts: a pure-TypeScript Ceph client

usage:
  rados-ts crush test -i MAP --rule R --num-rep N --min-x A --max-x B [--weight OSD W]... --show-mappings
  rados-ts osdmap map-object --osdmap FILE --pool POOLID OBJECT [--namespace NS] [--format json]
  rados-ts osdmap test-map-pgs-dump --osdmap FILE [--pool POOLID]
  rados-ts monmap print FILE
  rados-ts trace decode CAPTURE|TRACE [-k KEYRING] [--format plain|json] [-v] [--stats] [--color auto|always|never]
  rados-ts --help | --version
`;

type Command = (args: string[], out: (s: string) => void, err: (s: string) => void) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  crush: async () => {
    const { crushTestCommand } = await import('./crush-test.ts');
    return async (args, out) => {
      if (args[0] !== 'test') throw new UsageError(`unknown crush subcommand: ${args[0] ?? '(none)'}`);
      return crushTestCommand(args.slice(1), out);
    };
  },
  osdmap: async () => (await import('./osdmap-commands.ts')).osdmapCommand,
  monmap: async () => (await import('./monmap-commands.ts')).monmapCommand,
  trace: async () => (await import('./trace-commands.ts')).traceCommand,
};

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(HELP);
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === '--version') {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`rados-ts ${pkg.version}\n`);
    return 0;
  }
  const load = COMMANDS[cmd];
  if (!load) {
    process.stderr.write(`rados-ts: unknown command '${cmd}'\n\n${HELP}`);
    return 2;
  }
  const out = (s: string): void => {
    process.stdout.write(s);
  };
  try {
    const err = (s: string): void => {
      process.stderr.write(s);
    };
    return await (
      await load()
    )(rest, out, err);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`rados-ts: ${e.message}\n\n${HELP}`);
      return 2;
    }
    const err = e as Error;
    process.stderr.write(`rados-ts: ${err.name}: ${err.message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
