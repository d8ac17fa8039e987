# Shared set-up for scripts/serve and scripts/test: find Python >= 3.11, make the virtualenv, install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

find_python() {
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  echo "需要 Python 3.11 或更高版本（Python >= 3.11 is required）" >&2
  return 1
}

ensure_venv() {
  local extras="$1"
  local py; py="$(find_python)"
  if [ ! -x .venv/bin/python ]; then
    "$py" -m venv .venv
  fi
  local stamp=".venv/.installed-$extras"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    if [ -n "$extras" ] && [ "$extras" != "base" ]; then
      .venv/bin/python -m pip install --quiet -e ".[$extras]"
    else
      .venv/bin/python -m pip install --quiet -e .
    fi
    touch "$stamp"
  fi
}

# Debian packages the product needs at run time (CJK font for PDFs, poppler) and, for tests, Chromium.
ensure_debian_packages() {
  local wanted=("$@") missing=()
  command -v dpkg-query >/dev/null 2>&1 || return 0
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = "0" ]; then
    echo "安装系统软件包: ${missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "缺少系统软件包（请以 root 安装）: ${missing[*]}" >&2
  fi
}

RUNTIME_DEBIAN_PACKAGES=(fonts-wqy-microhei libharfbuzz-subset0 poppler-utils libpango-1.0-0 libpangoft2-1.0-0)
# Production mode on loopback (scripts/prod-start, tests/prod): installed with RUNLEVEL=1 so that the
# packages' own system services are not started; prod-start runs its own instances under var/prod.
PROD_DEBIAN_PACKAGES=(nginx postgresql redis-server)
BENCH_DEBIAN_PACKAGES=(wrk)  # load generator for bench/*_bench.py (installed by the bench scripts when missing)
