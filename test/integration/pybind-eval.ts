// Runs Python lines through Ceph's own bindings on a test cluster (pybind-eval.py) and returns
// what they set `result` to, or the binding error they raised (class name and errno).
import { execFile, execFileSync } from 'node:child_process';

/** What pybind-eval.py printed: the lines' result, or the error they raised. */
export interface PyOutcome<T> {
  result?: T;
  raised?: string;
  errno?: number | null;
  /** KeyError's text, when that is what the lines raised. */
  message?: string;
}

/** Runs `code` with `cluster`, `io` (on `pool`), `rados` and `rbd` in scope. */
export function pyEval<T = unknown>(cluster: { confPath: string; keyringPath: string }, pool: string, code: string): PyOutcome<T> {
  const out = execFileSync('python3', [new URL('./pybind-eval.py', import.meta.url).pathname, cluster.confPath, cluster.keyringPath, pool], {
    input: code,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return JSON.parse(out) as PyOutcome<T>;
}

/**
 * pyEval without blocking this process: for lines that change an image we hold open, whose
 * notifications (HEADER_UPDATE, REQUEST_LOCK) our event loop must be free to answer.
 */
export function pyEvalAsync<T = unknown>(cluster: { confPath: string; keyringPath: string }, pool: string, code: string): Promise<PyOutcome<T>> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'python3',
      [new URL('./pybind-eval.py', import.meta.url).pathname, cluster.confPath, cluster.keyringPath, pool],
      { encoding: 'utf8', timeout: 120_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`pybind-eval.py failed: ${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as PyOutcome<T>);
      },
    );
    child.stdin!.end(code);
  });
}

/** What our call threw (its errno), or undefined when it resolved. */
export async function errnoOf(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as { errno?: number }).errno;
  }
}
