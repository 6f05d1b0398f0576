// `rados-ts crush test`: the mapping lines of `crushtool -i MAP --test ... --show-mappings`
// (src/crush/CrushTester.cc), computed with our engine.
import { readFile } from 'node:fs/promises';
import { decodeCrushMap } from '../../crush/decode-crush-map.ts';
import { crushTestLines, testerWeight } from '../../crush/tester.ts';

function take(args: string[], i: number, flag: string): string {
  const v = args[i + 1];
  if (v === undefined) throw new Error(`${flag} needs a value`);
  return v;
}

export async function crushTestCommand(args: string[], out: (s: string) => void): Promise<number> {
  let input: string | undefined;
  let rule: number | undefined;
  let minRep = -1;
  let maxRep = -1;
  let minX = 0;
  let maxX = 1023;
  let poolId: number | undefined;
  let showMappings = false;
  const reweights: Array<[number, number]> = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    switch (a) {
      case '-i':
      case '--infn':
        input = take(args, i++, a);
        break;
      case '--rule':
        rule = Number(take(args, i++, a));
        break;
      case '--num-rep':
        minRep = maxRep = Number(take(args, i++, a));
        break;
      case '--min-rep':
        minRep = Number(take(args, i++, a));
        break;
      case '--max-rep':
        maxRep = Number(take(args, i++, a));
        break;
      case '--min-x':
        minX = Number(take(args, i++, a));
        break;
      case '--max-x':
        maxX = Number(take(args, i++, a));
        break;
      case '--x':
        minX = maxX = Number(take(args, i++, a));
        break;
      case '--weight':
        reweights.push([Number(take(args, i, a)), Number(take(args, i + 1, a))]);
        i += 2;
        break;
      case '--pool-id':
        poolId = Number(take(args, i++, a));
        break;
      case '--show-mappings':
        showMappings = true;
        break;
      case '--test':
        break;
      default:
        throw new Error(`unknown option ${a}`);
    }
  }
  if (!input) throw new Error('-i MAP is required');
  if (!showMappings) throw new Error('only --show-mappings output is implemented');
  const map = decodeCrushMap(new Uint8Array(await readFile(input)));
  const weights = new Map(reweights.map(([dev, w]) => [dev, testerWeight(w)] as [number, number]));
  const lines: string[] = [];
  for (const line of crushTestLines(map, {
    ...(rule !== undefined ? { rule } : {}),
    minRep,
    maxRep,
    minX,
    maxX,
    weights,
    ...(poolId !== undefined ? { poolId } : {}),
  })) {
    lines.push(line);
  }
  out(lines.join('\n') + (lines.length ? '\n' : ''));
  return 0;
}
