#!/usr/bin/env bash
# Prints the path of a CPython 3.11 or 3.12 interpreter, or explains why there is none.
# durable-rules (the rule engine) builds and imports on 3.11/3.12 only; it fails on 3.13.
set -u
ok() { "$1" -c 'import sys, sysconfig; v = sys.version_info[:2]; sys.exit(0 if (3, 11) <= v < (3, 13) and sysconfig.get_paths()["include"] else 1)' 2>/dev/null; }
candidates=("${LIANXI_PYTHON:-}" python3.12 python3.11 python3)
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for v in $(ls -d "$root"/versions/3.12* "$root"/versions/3.11* 2>/dev/null | sort -rV); do
    candidates+=("$v/bin/python3")
  done
fi
for c in /usr/bin/python3.12 /usr/bin/python3.11 /usr/local/bin/python3.12 /usr/local/bin/python3.11; do candidates+=("$c"); done
for c in "${candidates[@]}"; do
  [ -n "$c" ] || continue
  path=$(command -v "$c" 2>/dev/null) || continue
  if ok "$path"; then echo "$path"; exit 0; fi
done
echo "error: Lianxi needs CPython 3.11 or 3.12 (durable-rules fails to import on 3.13)." >&2
echo "       None was found on PATH (python3.12, python3.11, python3) or under pyenv." >&2
echo "       Install one (e.g. 'apt-get install python3.11 python3.11-venv python3.11-dev')" >&2
echo "       or point LIANXI_PYTHON at it: make LIANXI_PYTHON=/path/to/python3.12 test" >&2
exit 1
