// A CRUSH map in crushtool's text syntax with what --build cannot make: device classes (and
// their shadow trees), rules with set_* steps, choose + chooseleaf chains, several take/emit
// pairs, and choose_args (weight sets per position, id remaps).

export interface TextMapOptions {
  alg: string;
  tunables: Record<string, number>;
  hosts: number;
  osdsPerHost: number;
  racks: number;
  /** weight of osd i, in CRUSH units (1.0 = 0x10000) */
  weight: (osd: number) => number;
  /** Rules take per-class shadow trees (crushtool cannot make them for uniform buckets). */
  classes: boolean;
  /** The choose_args set with an id remap is keyed by this (a pool id); default 7. */
  poolArgsIndex?: number;
}

export function textMap(o: TextMapOptions): string {
  const lines: string[] = ['# begin crush map'];
  for (const [k, v] of Object.entries(o.tunables)) lines.push(`tunable ${k} ${v}`);
  const nOsd = o.hosts * o.osdsPerHost;
  lines.push('', '# devices');
  for (let i = 0; i < nOsd; i++) lines.push(`device ${i} osd.${i} class ${i % 3 === 0 ? 'ssd' : 'hdd'}`);
  lines.push('', '# types', 'type 0 osd', 'type 1 host', 'type 2 rack', 'type 3 root', '', '# buckets');
  let id = -2;
  const hostWeights: number[] = [];
  for (let h = 0; h < o.hosts; h++) {
    const hid = id--;
    lines.push(`host h${h} {`, `\tid ${hid}`, `\talg ${o.alg}`, '\thash 0');
    let sum = 0;
    for (let j = 0; j < o.osdsPerHost; j++) {
      const osd = h * o.osdsPerHost + j;
      const w = o.alg === 'uniform' ? 1 : o.weight(osd);
      sum += w;
      lines.push(`\titem osd.${osd} weight ${w.toFixed(3)}`);
    }
    hostWeights.push(sum);
    lines.push('}');
  }
  const rackIds: number[] = [];
  for (let r = 0; r < o.racks; r++) {
    const rid = id--;
    rackIds.push(rid);
    lines.push(`rack r${r} {`, `\tid ${rid}`, '\talg straw2', '\thash 0');
    for (let h = r; h < o.hosts; h += o.racks) lines.push(`\titem h${h} weight ${hostWeights[h]!.toFixed(3)}`);
    lines.push('}');
  }
  lines.push('root default {', '\tid -1', '\talg straw2', '\thash 0');
  for (let r = 0; r < o.racks; r++) {
    let w = 0;
    for (let h = r; h < o.hosts; h += o.racks) w += hostWeights[h]!;
    lines.push(`\titem r${r} weight ${w.toFixed(3)}`);
  }
  lines.push('}', '', '# rules');
  lines.push(
    'rule rep_ssd {',
    '\tid 0',
    '\ttype replicated',
    '\tmin_size 1',
    '\tmax_size 6',
    o.classes ? '\tstep take default class ssd' : '\tstep take default',
    '\tstep chooseleaf firstn 0 type host',
    '\tstep emit',
    '}',
  );
  lines.push(
    'rule rack_then_host {',
    '\tid 1',
    '\ttype replicated',
    '\tmin_size 1',
    '\tmax_size 6',
    '\tstep take default',
    '\tstep choose firstn 0 type rack',
    '\tstep chooseleaf firstn 2 type host',
    '\tstep emit',
    '}',
  );
  lines.push(
    'rule ec_hdd {',
    '\tid 2',
    '\ttype erasure',
    '\tmin_size 1',
    '\tmax_size 6',
    '\tstep set_chooseleaf_tries 5',
    '\tstep set_choose_tries 100',
    o.classes ? '\tstep take default class hdd' : '\tstep take default',
    '\tstep chooseleaf indep 0 type host',
    '\tstep emit',
    '}',
  );
  lines.push(
    'rule local_tries {',
    '\tid 3',
    '\ttype replicated',
    '\tmin_size 1',
    '\tmax_size 6',
    '\tstep set_choose_local_tries 1',
    '\tstep set_choose_local_fallback_tries 2',
    '\tstep set_chooseleaf_vary_r 0',
    '\tstep set_chooseleaf_stable 0',
    '\tstep take default',
    '\tstep chooseleaf firstn 0 type host',
    '\tstep emit',
    '}',
  );
  lines.push(
    'rule two_takes {',
    '\tid 4',
    '\ttype replicated',
    '\tmin_size 1',
    '\tmax_size 6',
    '\tstep take h0',
    '\tstep choose firstn 1 type osd',
    '\tstep emit',
    '\tstep take default',
    '\tstep chooseleaf firstn -1 type host',
    '\tstep emit',
    '}',
  );
  lines.push(
    'rule ec_rack {',
    '\tid 5',
    '\ttype erasure',
    '\tmin_size 1',
    '\tmax_size 6',
    '\tstep take default',
    '\tstep choose indep 2 type rack',
    '\tstep chooseleaf indep 2 type host',
    '\tstep emit',
    '}',
  );
  // choose_args: the default set (-1, written as its u64 form) reweights the racks per position; set 7 also remaps host ids.
  const ws = (n: number, f: (i: number, p: number) => number, positions: number): string =>
    `\t\tweight_set [\n${Array.from({ length: positions }, (_, p) => `\t\t\t[ ${Array.from({ length: n }, (_, i) => f(i, p).toFixed(3)).join(' ')} ]`).join('\n')}\n\t\t]`;
  lines.push(
    '',
    '# choose_args',
    'choose_args 18446744073709551615 {',
    '\t{',
    '\t\tbucket_id -1',
    ws(o.racks, (i, p) => 1 + ((i + p) % 3), 3),
    '\t}',
    '}',
  );
  lines.push(
    `choose_args ${o.poolArgsIndex ?? 7} {`,
    '\t{',
    `\t\tbucket_id ${rackIds[0]}`,
    ws(Math.ceil(o.hosts / o.racks), (i) => 0.5 + i, 1),
  );
  lines.push(`\t\tids [ ${Array.from({ length: Math.ceil(o.hosts / o.racks) }, (_, i) => -100 - i).join(' ')} ]`, '\t}', '}');
  lines.push('', '# end crush map', '');
  return lines.join('\n');
}
