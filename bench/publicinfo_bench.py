"""Load benchmark of the public query API against a bench database, on loopback only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zx_publicinfo_bench \\
      .venv/bin/python bench/publicinfo_bench.py --samples var/bench-publicinfo/dishonest-000.csv

Starts gunicorn (production settings: ZHIXING_ENV=production, DEBUG off, persistent DB connections,
several workers) on 127.0.0.1, then runs `wrk` (Debian package) for a fixed duration per endpoint at 16
connections: the minimal JSON endpoint (/api/v1/public/ping), a name query on the 失信 list and an exact
综合查询 (name + ID number). The per-IP limits and the captcha are switched off for the run with
PUBLICINFO_THROTTLE=off (bench only); TLS redirect is off because there is no proxy on loopback.
Names and ID numbers to query are sampled from the CSV files the generator kept (--keep-files).
Prints p50/p99 latency and requests/s per endpoint, and the ratio to the ping endpoint.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATA_KEY = "bench-only-data-key-not-for-production-0123456789"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _samples(paths: list[Path], count: int, seed: int, scan: int = 200_000) -> list[tuple[str, str]]:
    """A uniform sample of ``count`` (name, ID) pairs from the first ``scan`` rows of each file."""
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            for n, row in enumerate(csv.DictReader(handle)):
                if n >= scan:
                    break
                if len(out) < count:
                    out.append((row["name"], row["id_number"]))
                elif rng.random() < count / (n + 1):
                    out[rng.randrange(count)] = (row["name"], row["id_number"])
    if not out:
        raise SystemExit("样本文件中没有记录。")
    return out


def _lua(method: str, path: str, bodies: list[str]) -> str:
    quoted = ",\n".join("[==[" + b + "]==]" for b in bodies)
    return f"""
local bodies = {{
{quoted}
}}
local n = 0
request = function()
  n = n + 1
  local body = bodies[(n % #bodies) + 1]
  if body == "" then
    return wrk.format("{method}", "{path}")
  end
  return wrk.format("{method}", "{path}", {{["Content-Type"] = "application/json"}}, body)
end
"""


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if not match:
        return float("nan")
    return float(match.group(1)) * _UNITS[match.group(2)]


def _wrk(url: str, script: str, *, connections: int, threads: int, duration: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
        lua = handle.name
    try:
        result = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "5s",
                "--latency",
                "-s",
                lua,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=duration + 60,
            check=True,
        )
    finally:
        os.unlink(lua)
    out = result.stdout
    figures: dict[str, float] = {}
    for label, key in (("50%", "p50"), ("90%", "p90"), ("99%", "p99")):
        match = re.search(rf"^\s+{re.escape(label)}\s+(\S+)", out, re.M)
        figures[key] = _ms(match.group(1)) if match else float("nan")
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    figures["rps"] = float(rps.group(1)) if rps else 0.0
    total = re.search(r"(\d+) requests in", out)
    figures["requests"] = float(total.group(1)) if total else 0.0
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["non2xx"] = float(non2xx.group(1)) if non2xx else 0.0
    errors = re.search(r"Socket errors: (.*)", out)
    figures["socket_errors"] = 1.0 if errors else 0.0
    return figures


def _ensure_wrk() -> None:
    """wrk comes from Debian: installed through scripts/_env.sh (BENCH_DEBIAN_PACKAGES) when missing."""
    if shutil.which("wrk"):
        return
    subprocess.run(
        ["bash", "-c", 'source scripts/_env.sh && ensure_debian_packages "${BENCH_DEBIAN_PACKAGES[@]}"'],
        cwd=ROOT,
        check=False,
    )
    if not shutil.which("wrk"):
        raise SystemExit("需要 wrk：以 root 运行本脚本（自动安装），或 apt-get install -y wrk")


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _rows(url: str) -> str:
    """The size of the published table, for the report (planner estimate on PostgreSQL)."""
    code = (
        "import django;django.setup();from django.db import connection as c;cur=c.cursor();"
        "cur.execute(\"SELECT reltuples::bigint FROM pg_class WHERE relname='publicinfo_publishedrecord'\" "
        "if c.vendor=='postgresql' else 'SELECT max(id) FROM publicinfo_publishedrecord');"
        "print(cur.fetchone()[0])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhixing.settings", "DATABASE_URL": url}
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() or "?"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--samples", type=Path, nargs="+", required=True, help="CSV files kept by the generator"
    )
    parser.add_argument("--sample-size", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--duration", type=int, default=20, help="seconds per endpoint (bounded)")
    parser.add_argument("--list", default="dishonest")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    parser.add_argument(
        "--cache",
        choices=["both", "off", "on"],
        default="both",
        help="answer cache: off = every answer computed (PUBLICINFO_CACHE_SECONDS=0), on = production setting",
    )
    parser.add_argument(
        "--hot",
        type=int,
        default=100,
        help="cache on: the number of distinct people queried (a hot set that the cache can hold)",
    )
    parser.add_argument("--cpu-probe", choices=["off", "on"], default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cpu_probe:
        _cpu_probe(args)
        return
    _ensure_wrk()
    url = os.environ.get("DATABASE_URL", "")
    if "bench" not in url.rsplit("/", 1)[-1] and "bench" not in url:
        raise SystemExit("请将 DATABASE_URL 设为基准测试专用数据库（名称须含 bench）。")
    args.duration = max(1, min(args.duration, 120))
    samples = _samples(args.samples, args.sample_size, seed=1)
    rows = _rows(url)
    name_bodies = [json.dumps({"name": n}, ensure_ascii=False) for n, _ in samples]
    exact_bodies = [json.dumps({"name": n, "id_number": i}, ensure_ascii=False) for n, i in samples]
    modes = ["off", "on"] if args.cache == "both" else [args.cache]
    table: list[tuple[str, str, dict[str, float], str]] = []
    cpu: dict[str, dict[str, float]] = {}
    for mode in modes:
        hot = slice(0, args.hot) if mode == "on" else slice(None)
        results = _run_server(args, mode, name_bodies[hot], exact_bodies[hot])
        for label, (figures, load) in results.items():
            table.append((mode, label, figures, load))
        cpu[mode] = _cpu_costs(args, mode)
    print(
        f"表中记录约 {rows} 条 · gunicorn {args.workers} workers · wrk {args.connections} connections · "
        f"{args.duration}s per endpoint · {len(samples)} sampled people"
    )
    print(
        f"{'cache':<6} {'endpoint':<28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs ping':>8} "
        f"{'non-2xx':>8}  load avg"
    )
    ping = {mode: f["rps"] or 1.0 for mode, label, f, _ in table if label.startswith("ping")}
    for mode, label, f, load in table:
        print(
            f"{mode:<6} {label:<28} {f['rps']:>9.0f} {f['p50']:>8.2f} {f['p99']:>8.2f} "
            f"{f['rps'] / ping[mode]:>8.0%} {int(f['non2xx']):>8}  {load}"
        )
    print(
        "CPU time per request in one process (Django test client, same settings; robust to a busy machine):"
    )
    for mode, costs in cpu.items():
        ping_ms = costs.get("ping") or 1.0
        print(
            f"  cache {mode}: "
            + " · ".join(f"{k} {v:.3f} ms ({ping_ms / v:.0%} of ping's rate)" for k, v in costs.items())
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                [{"cache": m, "endpoint": lbl, "load": ld, **f} for m, lbl, f, ld in table]
                + [{"cpu_ms": cpu}],
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )


def _server_env(cache_mode: str) -> dict[str, str]:
    return {
        **os.environ,
        "ZHIXING_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ZHIXING_DATA_KEY": os.environ.get("ZHIXING_DATA_KEY", BENCH_DATA_KEY),
        "HTTPS": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DB_CONN_MAX_AGE": "600",
        "PUBLICINFO_THROTTLE": "off",
        "LOG_LEVEL": "ERROR",
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14",
        "PUBLICINFO_CACHE_SECONDS": "0"
        if cache_mode == "off"
        else os.environ.get("PUBLICINFO_CACHE_SECONDS", "30"),
    }


def _cpu_costs(args: argparse.Namespace, mode: str) -> dict[str, float]:
    """Run this script's --cpu-probe in a fresh process with the server's environment."""
    cmd = [str(ROOT / ".venv" / "bin" / "python"), __file__, "--cpu-probe", mode, "--samples"]
    cmd += [str(p) for p in args.samples] + ["--sample-size", str(args.sample_size), "--list", args.list]
    cmd += ["--hot", str(args.hot)]
    done = subprocess.run(cmd, cwd=ROOT, env=_server_env(mode), capture_output=True, text=True, timeout=900)
    try:
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))
    except (ValueError, IndexError):
        print(done.stderr[-2000:])
        return {}


def _cpu_probe(args: argparse.Namespace) -> None:
    """CPU milliseconds per request (time.process_time) through the whole Django stack, in this process.
    Cache off: every answer computed; cache on: a pass over the hot set first, then the same pass (hits)."""
    import sys

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.settings")
    import django

    django.setup()
    from django.test import Client

    samples = _samples(args.samples, args.sample_size, seed=1)
    if args.cpu_probe == "on":
        samples = samples[: args.hot]
    client = Client()
    names = [json.dumps({"name": n}, ensure_ascii=False) for n, _ in samples]
    exact = [json.dumps({"name": n, "id_number": i}, ensure_ascii=False) for n, i in samples]
    runs = {
        "ping": ("/api/v1/public/ping", None),
        "name": (f"/api/v1/public/lists/{args.list}", names),
        "exact": ("/api/v1/public/comprehensive", exact),
    }
    out: dict[str, float] = {}
    for key, (path, bodies) in runs.items():
        count = len(bodies) if bodies else 500

        def one_pass(path: str = path, bodies: list[str] | None = bodies, count: int = count) -> None:
            for n in range(count):
                if bodies is None:
                    response = client.get(path)
                else:
                    response = client.post(path, bodies[n], content_type="application/json")
                assert response.status_code == 200, response.content[:200]

        if args.cpu_probe == "on" or bodies is None:
            one_pass()  # warm: connections, and for cache on, the answers
        passes = max(1, 500 // count)
        started = time.process_time()
        for _ in range(passes):
            one_pass()
        out[key] = (time.process_time() - started) / (count * passes) * 1000
    print(json.dumps(out))


def _run_server(
    args: argparse.Namespace, cache_mode: str, name_bodies: list[str], exact_bodies: list[str]
) -> dict[str, tuple[dict[str, float], str]]:
    port = _free_port()
    env = _server_env(cache_mode)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "zhixing.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{base}/api/v1/public/ping", timeout=2) as resp:  # noqa: S310
                    if resp.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit("gunicorn 未能启动。")
        # Sanity: the exact query finds the sampled person.
        request = urllib.request.Request(  # noqa: S310
            f"{base}/api/v1/public/comprehensive",
            data=exact_bodies[0].encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as resp:  # noqa: S310
            found = json.loads(resp.read())
        assert found["total"] >= 1, found
        runs = [
            ("ping（最简 JSON 接口）", "GET", "/api/v1/public/ping", [""]),
            (f"按姓名查询（{args.list}）", "POST", f"/api/v1/public/lists/{args.list}", name_bodies),
            ("综合查询（姓名+证件号码）", "POST", "/api/v1/public/comprehensive", exact_bodies),
        ]
        results: dict[str, tuple[dict[str, float], str]] = {}
        for label, method, path, bodies in runs:
            # A short warm-up so every worker has its connection and caches.
            _wrk(
                base + path,
                _lua(method, path, bodies),
                connections=args.connections,
                threads=args.threads,
                duration=2,
            )
            figures = _wrk(
                base + path,
                _lua(method, path, bodies),
                connections=args.connections,
                threads=args.threads,
                duration=args.duration,
            )
            results[label] = (figures, _load())
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
