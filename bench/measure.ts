/**
 * Runs a command as a child process and measures it: wall time, and peak memory of the whole process tree.
 *
 * Memory comes from two sources. GNU time (`/usr/bin/time -v`, when present) reports the largest resident set
 * of any single process in the tree. While the command runs, /proc is polled every POLL_MS for the tree's
 * processes: the sum of each process's own high-water mark (VmHWM) is an upper bound of the tree's peak, the
 * largest sum of current RSS seen is a lower bound. `peakKb` is the larger of the GNU time figure and the
 * VmHWM sum.
 *
 * A run is stopped at the caller's time limit, or when the machine's available memory falls under 1 GiB (so a
 * runaway run cannot bring the OOM killer onto other processes); either way its whole process group is killed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const POLL_MS = 200;
const GNU_TIME = '/usr/bin/time';
/** A run is stopped when the machine's available memory falls below this, before the kernel's OOM killer picks a victim. */
const MIN_AVAILABLE_KB = 1 << 20;

export interface Measured {
  command: string;
  wallMs: number;
  exitCode: number | null;
  signal: string | null;
  /** Killed by the caller's time limit. */
  timedOut: boolean;
  /** Killed because the machine was running out of memory (MemAvailable under 1 GiB). */
  memoryGuard: boolean;
  stdout: string;
  stderr: string;
  /** Peak memory of the tree (kB): max(GNU time's max RSS, sum of the processes' VmHWM). */
  peakKb: number;
  /** Largest single process (kB), from GNU time; undefined without it. */
  timeMaxRssKb?: number;
  /** Sum over the tree's processes of their VmHWM (kB), polled. */
  hwmSumKb: number;
  /** Largest sum of the tree's current VmRSS seen while polling (kB). */
  rssSumPeakKb: number;
  /** Processes seen in the tree. */
  processes: number;
  /** CPU seconds the tree used (user + system, from GNU time). */
  cpuS?: number;
  /**
   * Cores' worth of CPU used by everything else on the machine while the command ran (machine-wide busy time
   * from /proc/stat minus the tree's own): 0 on an idle machine; timings taken beside other work are slower.
   */
  otherCores?: number;
}

let gnuTime: boolean | undefined;
/** Whether /usr/bin/time is GNU time (takes -v and -o). */
export function hasGnuTime(): boolean {
  if (gnuTime === undefined) {
    gnuTime = existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-v', '-o', '/dev/null', 'true']).status === 0;
  }
  return gnuTime;
}

function memAvailableKb(): number {
  try {
    return Number(/^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? Infinity);
  } catch {
    return Infinity;
  }
}

/** Busy CPU time of the whole machine so far, in seconds (/proc/stat counts in USER_HZ, 100 per second). */
function busyS(): number | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …: everything but idle and iowait is busy.
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return undefined;
  }
}

function status(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined; // gone
  }
}

/** The pid and its descendants, from each thread's `children` list (or, without it, a scan of /proc). */
function tree(root: number): number[] {
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    out.push(pid);
    let children: number[] = [];
    try {
      for (const task of readdirSync(`/proc/${pid}/task`)) {
        const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
        if (text) children.push(...text.split(/\s+/).map(Number));
      }
    } catch {
      children = scanChildren(pid);
    }
    queue.push(...children);
  }
  return out;
}

function scanChildren(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // gone
    }
  }
  return children;
}

export async function measure(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<Measured> {
  const scratch = await mkdtemp(join(tmpdir(), 'salescube-measure-'));
  const timeFile = join(scratch, 'time.txt');
  const useTime = hasGnuTime();
  const [file, argv] = useTime ? [GNU_TIME, ['-v', '-o', timeFile, command, ...args]] : [command, args];
  const busyBefore = busyS();
  const started = performance.now();
  // Its own process group, so a time limit can stop the whole tree and nothing else.
  const child = spawn(file, argv, { env: options.env ?? process.env, cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));

  const hwm = new Map<number, number>();
  let rssSumPeakKb = 0;
  const poll = () => {
    if (child.pid === undefined) return;
    let rssSum = 0;
    for (const pid of tree(child.pid)) {
      const s = status(pid);
      if (!s) continue;
      rssSum += s.rss;
      hwm.set(pid, Math.max(hwm.get(pid) ?? 0, s.hwm));
    }
    rssSumPeakKb = Math.max(rssSumPeakKb, rssSum);
    if (!memoryGuard && memAvailableKb() < MIN_AVAILABLE_KB) {
      memoryGuard = true;
      stop();
    }
  };
  const stop = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  let memoryGuard = false;
  const poller = setInterval(poll, POLL_MS);
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          stop();
        }, options.timeoutMs);

  const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, sig) => resolve([code, sig]));
  });
  const wallMs = performance.now() - started;
  const busyAfter = busyS();
  clearInterval(poller);
  if (timer) clearTimeout(timer);

  let timeMaxRssKb: number | undefined;
  let cpuS: number | undefined;
  if (useTime) {
    // GNU time reports a failing command in its file too, and exits with the command's status.
    const text = await readFile(timeFile, 'utf8').catch(() => '');
    const field = (name: string) => Number(new RegExp(`${name}: ([\\d.]+)`).exec(text)?.[1] ?? NaN);
    timeMaxRssKb = field('Maximum resident set size \\(kbytes\\)');
    cpuS = field('User time \\(seconds\\)') + field('System time \\(seconds\\)');
    if (!Number.isFinite(timeMaxRssKb)) timeMaxRssKb = undefined;
    if (!Number.isFinite(cpuS)) cpuS = undefined;
  }
  const otherCores =
    busyBefore !== undefined && busyAfter !== undefined && cpuS !== undefined ? Math.max(0, (busyAfter - busyBefore - cpuS) / (wallMs / 1000)) : undefined;
  await rm(scratch, { recursive: true, force: true });
  const hwmSumKb = [...hwm.values()].reduce((a, b) => a + b, 0);
  return {
    command: [command, ...args].join(' '),
    wallMs,
    exitCode,
    signal,
    timedOut,
    memoryGuard,
    stdout,
    stderr,
    peakKb: Math.max(hwmSumKb, timeMaxRssKb ?? 0),
    timeMaxRssKb,
    hwmSumKb,
    rssSumPeakKb,
    processes: hwm.size,
    cpuS,
    otherCores,
  };
}
