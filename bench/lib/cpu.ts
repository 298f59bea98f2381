import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time used by the server and by PostgreSQL, from /proc (Linux only). Per request it is a
 * steadier figure than latency on a machine where other work competes for the CPUs:
 * contention stretches wall-clock time much more than the CPU a request needs.
 */

interface Stat {
  pid: number;
  ppid: number;
  pgrp: number;
  /** utime + stime, in clock ticks. */
  ticks: number;
  /** cutime + cstime: children that exited and were waited for. */
  childTicks: number;
}

// USER_HZ is 100 on every Linux platform Node supports.
const TICK_MS = 10;

function readStat(pid: number): Stat | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    const f = raw.slice(raw.lastIndexOf(")") + 2).split(" ");
    // f[0] is field 3 (state): ppid = field 4, pgrp = 5, utime = 14, stime = 15, cutime = 16, cstime = 17.
    return {
      pid,
      ppid: Number(f[1]),
      pgrp: Number(f[2]),
      ticks: Number(f[11]) + Number(f[12]),
      childTicks: Number(f[13]) + Number(f[14]),
    };
  } catch {
    return null;
  }
}

function allStats(): Stat[] {
  const out: Stat[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    const s = readStat(Number(e));
    if (s) out.push(s);
  }
  return out;
}

export interface CpuSources {
  /** Process group of the server (scripts/server.mjs and anything it spawned). */
  serverPgid: number;
  /** The postmaster's pid (its backends are its children), or null for an external server. */
  postmasterPid: number | null;
}

export interface CpuSample {
  server: number;
  postgres: number | null;
}

export function cpuAvailable(): boolean {
  return process.platform === "linux" && readStat(process.pid) !== null;
}

/** Cumulative CPU milliseconds so far. Processes that exited are counted through their parent. */
export function sampleCpu(src: CpuSources): CpuSample {
  let server = 0;
  let postgres = src.postmasterPid === null ? null : 0;
  for (const s of allStats()) {
    if (s.pgrp === src.serverPgid) server += s.ticks + (s.pid === src.serverPgid ? s.childTicks : 0);
    if (postgres !== null && (s.pid === src.postmasterPid || s.ppid === src.postmasterPid)) {
      postgres += s.ticks + (s.pid === src.postmasterPid ? s.childTicks : 0);
    }
  }
  return { server: server * TICK_MS, postgres: postgres === null ? null : postgres * TICK_MS };
}

export function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(`${dataDir}/postmaster.pid`, "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
