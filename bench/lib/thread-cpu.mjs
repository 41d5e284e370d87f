// Preload that prints, at exit, the CPU time of each thread of the process (Linux /proc):
// the main thread, worker threads with V8's helper threads (all named "node"), and libuv's
// thread pool (zlib, fs). A sampling profile (--cpu-prof) counts time a thread waits
// while the machine is loaded; these are the kernel's CPU figures.
//   node --import ./bench/lib/thread-cpu.mjs bin/s3-encrypt.js build-manifest ...
import { readdirSync, readFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  process.on('exit', () => {
    const byName = new Map();
    const tasks = readdirSync('/proc/self/task').sort((a, b) => Number(a) - Number(b));
    for (const [i, t] of tasks.entries()) {
      const st = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const comm = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'));
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      // utime + stime, in clock ticks (100 per second on Linux).
      const ms = (Number(f[11]) + Number(f[12])) * 10;
      let name = comm;
      if (i === 0) name = 'main';
      else if (comm === 'libuv-worker') name = 'libuv pool (zlib, fs)';
      // Worker threads and V8's helper threads (concurrent GC, compilation) are all named "node".
      else if (comm === 'node') name = 'worker threads + V8 helpers';
      else if (comm.startsWith('DelayedTask')) continue;
      byName.set(name, (byName.get(name) ?? 0) + ms);
    }
    const parts = [...byName].map(([n, ms]) => `${n} ${ms} ms`);
    process.stderr.write(`thread CPU: ${parts.join(', ')}\n`);
  });
}
