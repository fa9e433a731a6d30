# Sourced by scripts/run and scripts/test: a virtualenv in .venv with the
# pinned dependencies of one lock file, installed only when the lock changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

find_python() {
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  echo "Python 3.11 or newer is required (set PYTHON=/path/to/python3.11)." >&2
  return 1
}

bootstrap() {
  local lock="requirements/$1.lock"
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating the virtualenv in .venv"
    "$(find_python)" -m venv "$VENV"
  fi
  if [ ! -x "$VENV/bin/uv" ]; then
    say "Installing uv (the installer) into .venv"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "uv>=0.5"
  fi
  local stamp="$VENV/.installed-$1"
  local want
  want="$(cat "$lock" pyproject.toml | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "Installing dependencies from $lock"
    "$VENV/bin/uv" pip install --quiet --python "$VENV/bin/python" --require-hashes -r "$lock"
    "$VENV/bin/uv" pip install --quiet --python "$VENV/bin/python" --no-deps -e .
    echo "$want" >"$stamp"
  fi
  export PATH="$VENV/bin:$PATH"
}
