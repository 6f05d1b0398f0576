// A CRUSH map in crushtool's text syntax with MSR rules (Squid+: `type msr_firstn|msr_indep`,
// `step choosemsr N type T`, `step set_msr_descents|set_msr_collision_tries N`, tunables
// msr_descents / msr_collision_tries), over racks > hosts > osds of uneven sizes and weights.
// Rules cover one, two and three choose levels, levels skipped by the descent, 0 counts
// (result_max), several take/emit blocks, tight per-rule retry limits, device classes, and
// the shapes Ceph maps to nothing (classic steps in an MSR rule, no leaf step).

export interface MsrMapOptions {
  /** host bucket algorithm (racks and root are straw2, so choose_args apply to them) */
  alg: string;
  tunables: Record<string, number>;
  racks: number;
  hostsPerRack: number;
  /** devices in host h */
  osdsPerHost: (host: number) => number;
  /** CRUSH weight of osd i (1.0 = 0x10000); uniform hosts weigh every item 1 */
  weight: (osd: number) => number;
  /** device classes (ssd for every third osd) and a rule taking the ssd shadow tree */
  classes: boolean;
  /** a default choose_args set: per-position weight sets on the root and racks, ids on rack 0's hosts */
  chooseArgs: boolean;
  /** an empty host (weight 0) in rack 0 */
  emptyHost: boolean;
}

export interface MsrRuleText {
  name: string;
  type: 'msr_firstn' | 'msr_indep';
  steps: string[];
}

/** The rules every map carries, in rule-id order. `h0`, `r0`, `r1` name buckets of the map. */
export function msrRules(classes: boolean): MsrRuleText[] {
  const two = (f: string, i: string): MsrRuleText[] => [
    { name: `${f}_f`, type: 'msr_firstn', steps: [`take ${i}`] },
    { name: `${f}_i`, type: 'msr_indep', steps: [`take ${i}`] },
  ];
  const rules: MsrRuleText[] = [];
  const both = (name: string, steps: string[], take = 'default'): void => {
    for (const r of two(name, take)) rules.push({ ...r, steps: [...r.steps, ...steps, 'emit'] });
  };
  both('host_osd', ['choosemsr 0 type host', 'choosemsr 1 type osd']); // as chooseleaf 0 host
  both('host2_osd2', ['choosemsr 2 type host', 'choosemsr 2 type osd']);
  both('host3_osd2', ['choosemsr 3 type host', 'choosemsr 2 type osd']);
  both('host4_osd4', ['choosemsr 4 type host', 'choosemsr 4 type osd']); // the 8+6 rule of doc/dev/crush-msr.rst
  both('host2_osd0', ['choosemsr 2 type host', 'choosemsr 0 type osd']); // fan-out 2·result_max, clipped
  both('rack2_host2_osd1', ['choosemsr 2 type rack', 'choosemsr 2 type host', 'choosemsr 1 type osd']);
  both('rack0_host2_osd1', ['choosemsr 0 type rack', 'choosemsr 2 type host', 'choosemsr 1 type osd']);
  both('rack2_osd2', ['choosemsr 2 type rack', 'choosemsr 2 type osd']); // the host level skipped
  both('osd0', ['choosemsr 0 type osd']); // one level from the root, through racks and hosts
  both('in_host', ['choosemsr 0 type osd'], 'h0'); // one level inside a host
  // tight retry limits: exhausted descents leave holes (indep) or short results (firstn)
  for (const r of two('tight', 'default')) {
    rules.push({ ...r, steps: ['set_msr_descents 2', 'set_msr_collision_tries 1', ...r.steps, 'choosemsr 3 type host', 'choosemsr 2 type osd', 'emit'] });
  }
  // two take/emit blocks, each filling its own range of the result
  for (const r of two('two_blocks', 'r0')) {
    rules.push({ ...r, steps: [...r.steps, 'choosemsr 1 type host', 'choosemsr 2 type osd', 'emit', 'take r1', 'choosemsr 2 type host', 'choosemsr 1 type osd', 'emit'] });
  }
  if (classes) both('ssd_host_osd', ['choosemsr 0 type host', 'choosemsr 1 type osd'], 'default class ssd');
  // shapes crush_msr_do_rule maps to nothing (without crashing)
  both('classic_step', ['chooseleaf firstn 0 type host']);
  both('no_leaf_step', ['choosemsr 2 type host']);
  both('leaf_not_last', ['choosemsr 2 type osd', 'choosemsr 1 type host']);
  return rules;
}

export function msrMap(o: MsrMapOptions): string {
  const lines: string[] = ['# begin crush map'];
  for (const [k, v] of Object.entries(o.tunables)) lines.push(`tunable ${k} ${v}`);
  const hosts = o.racks * o.hostsPerRack;
  const hostOsds: number[][] = [];
  let nOsd = 0;
  for (let h = 0; h < hosts; h++) {
    const n = o.osdsPerHost(h);
    hostOsds.push(Array.from({ length: n }, (_, j) => nOsd + j));
    nOsd += n;
  }
  lines.push('', '# devices');
  for (let i = 0; i < nOsd; i++) lines.push(`device ${i} osd.${i}${o.classes ? ` class ${i % 3 === 0 ? 'ssd' : 'hdd'}` : ''}`);
  lines.push('', '# types', 'type 0 osd', 'type 1 host', 'type 2 rack', 'type 3 root', '', '# buckets');
  let id = -2;
  const hostIds: number[] = [];
  const hostWeights: number[] = [];
  for (let h = 0; h < hosts; h++) {
    const hid = id--;
    hostIds.push(hid);
    lines.push(`host h${h} {`, `\tid ${hid}`, `\talg ${o.alg}`, '\thash 0');
    let sum = 0;
    for (const osd of hostOsds[h]!) {
      const w = o.alg === 'uniform' ? 1 : o.weight(osd);
      sum += w;
      lines.push(`\titem osd.${osd} weight ${w.toFixed(3)}`);
    }
    hostWeights.push(sum);
    lines.push('}');
  }
  const emptyId = id--;
  if (o.emptyHost) lines.push('host hempty {', `\tid ${emptyId}`, `\talg ${o.alg}`, '\thash 0', '}');
  const rackIds: number[] = [];
  const rackWeights: number[] = [];
  for (let r = 0; r < o.racks; r++) {
    const rid = id--;
    rackIds.push(rid);
    lines.push(`rack r${r} {`, `\tid ${rid}`, '\talg straw2', '\thash 0');
    let sum = 0;
    for (let h = r * o.hostsPerRack; h < (r + 1) * o.hostsPerRack; h++) {
      lines.push(`\titem h${h} weight ${hostWeights[h]!.toFixed(3)}`);
      sum += hostWeights[h]!;
    }
    if (o.emptyHost && r === 0) lines.push('\titem hempty weight 0.000');
    rackWeights.push(sum);
    lines.push('}');
  }
  lines.push('root default {', '\tid -1', '\talg straw2', '\thash 0');
  for (let r = 0; r < o.racks; r++) lines.push(`\titem r${r} weight ${rackWeights[r]!.toFixed(3)}`);
  lines.push('}', '', '# rules');
  msrRules(o.classes).forEach((rule, i) => {
    lines.push(`rule ${rule.name} {`, `\tid ${i}`, `\ttype ${rule.type}`, ...rule.steps.map((s) => `\tstep ${s}`), '}');
  });
  if (o.chooseArgs) {
    // weight sets by position: MSR passes the stride index as the position
    const ws = (n: number, f: (i: number, p: number) => number, positions: number): string[] => [
      '\t\tweight_set [',
      ...Array.from({ length: positions }, (_, p) => `\t\t\t[ ${Array.from({ length: n }, (_, i) => f(i, p).toFixed(3)).join(' ')} ]`),
      '\t\t]',
    ];
    lines.push('', '# choose_args', 'choose_args 18446744073709551615 {');
    lines.push('\t{', '\t\tbucket_id -1', ...ws(o.racks, (i, p) => 1 + ((i + p) % 3), 3), '\t}');
    const r0Items = o.hostsPerRack + (o.emptyHost ? 1 : 0);
    lines.push('\t{', `\t\tbucket_id ${rackIds[0]}`, ...ws(r0Items, (i, p) => (i >= o.hostsPerRack ? 0 : 0.5 + ((i + 2 * p) % 4)), 2));
    lines.push(`\t\tids [ ${Array.from({ length: r0Items }, (_, i) => -100 - i).join(' ')} ]`, '\t}');
    if (o.racks > 1) lines.push('\t{', `\t\tbucket_id ${rackIds[1]}`, ...ws(o.hostsPerRack, (i) => 2 - (i % 2), 1), '\t}');
    lines.push('}');
  }
  lines.push('', '# end crush map', '');
  return lines.join('\n');
}

/** osd ids of host h, for reweighting a whole host out. */
export function osdsOfHost(o: Pick<MsrMapOptions, 'osdsPerHost'>, host: number): number[] {
  let first = 0;
  for (let h = 0; h < host; h++) first += o.osdsPerHost(h);
  return Array.from({ length: o.osdsPerHost(host) }, (_, j) => first + j);
}
