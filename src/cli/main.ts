#!/usr/bin/env node
// rados-ts command line. Subcommands load lazily so `--help` stays instant.
const HELP = `rados-ts: a pure-TypeScript Ceph client

usage:
  rados-ts crush test -i MAP --rule R --num-rep N --min-x A --max-x B [--weight OSD W]... --show-mappings
  rados-ts osdmap map-object --osdmap FILE --pool POOLID OBJECT [--namespace NS] [--format json]
  rados-ts osdmap test-map-pgs-dump --osdmap FILE [--pool POOLID]
  rados-ts monmap print FILE
  rados-ts trace decode CAPTURE|TRACE [-k KEYRING] [--format plain|json] [-v] [--stats] [--color auto|always|never]
  rados-ts rados [-c CONF] [--id ID] [-k KEYRING] [-m MONHOST] [-p POOL] VERB ...   (rados-ts rados --help)
  rados-ts rbd [-c CONF] [--id ID] [-k KEYRING] [-m MONHOST] [-p POOL] VERB ...     (rados-ts rbd --help)
  rados-ts --help | --version
`;

import { type CliIo, UsageError } from './cli-io.ts';
import { concatBytes } from '../../protocol/encoding/concat-bytes.ts';

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  crush: async () => {
    const { crushTestCommand } = await import('./crush-test.ts');
    return async (args, io) => {
      if (args[0] !== 'test') throw new UsageError(`unknown crush subcommand: ${args[0] ?? '(none)'}`);
      return crushTestCommand(args.slice(1), io.out);
    };
  },
  osdmap: async () => {
    const { osdmapCommand } = await import('./osdmap-commands.ts');
    return (args, io) => osdmapCommand(args, io.out, io.err);
  },
  monmap: async () => {
    const { monmapCommand } = await import('./monmap-commands.ts');
    return (args, io) => monmapCommand(args, io.out);
  },
  trace: async () => {
    const { traceCommand } = await import('./trace-commands.ts');
    return (args, io) => traceCommand(args, io.out, io.err);
  },
  rados: async () => (await import('./rados-command.ts')).radosCommand,
  rbd: async () => (await import('./rbd-command.ts')).rbdCommand,
};

async function readStdin(): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of process.stdin) parts.push(chunk as Uint8Array);
  return concatBytes(parts);
}

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
  const io: CliIo = {
    out: (s) => {
      process.stdout.write(s);
    },
    err: (s) => {
      process.stderr.write(s);
    },
    readStdin,
  };
  try {
    return await (
      await load()
    )(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`rados-ts: ${e.message}\n\n${e.help ?? HELP}`);
      return 2;
    }
    const err = e as Error;
    process.stderr.write(`rados-ts: ${err.name}: ${err.message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
