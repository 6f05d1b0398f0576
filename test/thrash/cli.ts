// `npm run thrash -- --minutes N [--seed S] [--release NAME]`: one thrasher run (thrasher.ts)
// against a throwaway cluster of that release; exits non-zero on any finding.
import { parseArgs } from 'node:util';
import { currentRelease, writeReleaseBin } from '../cluster/releases.ts';
import { formatReport, runThrash } from './thrasher.ts';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '3' }, seed: { type: 'string' }, release: { type: 'string' } } });
const minutes = Number(values.minutes);
if (!(minutes > 0)) throw new Error(`--minutes must be a positive number, not ${values.minutes}`);
const seed = values.seed === undefined ? undefined : Number(values.seed);
if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed must be an integer, not ${values.seed}`);
if (values.release) process.env.CEPH_RELEASE = values.release;
// Ceph's tools of that release first on PATH (wrappers into its chroot for Reef and Tentacle).
process.env.PATH = `${writeReleaseBin(currentRelease())}:${process.env.PATH ?? ''}`;
const report = await runThrash({ minutes, ...(seed !== undefined ? { seed } : {}) });
console.log(formatReport(report));
process.exitCode = report.failures.length === 0 ? 0 : 1;
