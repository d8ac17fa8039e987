"""Generate synthetic published records and bulk-import them into a bench database, printing rows/s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zx_publicinfo_bench \\
      .venv/bin/python bench/publicinfo_generate.py --dishonest 10000000 --debtor 20000000

Rows are realistic (surname frequencies, valid ID check digits and credit codes, real county region codes and
basic courts) and written as CSV files (several processes in parallel), then loaded with the production import
path (`import_public_records`: COPY into a staging table + INSERT … ON CONFLICT DO NOTHING on PostgreSQL,
executemany INSERT OR IGNORE on SQLite). The database must be a bench database: the script refuses the
default and test databases. The blind index key comes from ZHIXING_DATA_KEY, so the bench server must be
started with the same key (bench/publicinfo_bench.py does that).
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DATA_KEY = "bench-only-data-key-not-for-production-0123456789"
os.environ.setdefault("ZHIXING_DATA_KEY", BENCH_DATA_KEY)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.settings")


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _table_rows(connection: Any) -> int:
    """The table size, as its highest id (an exact count of tens of millions of rows takes a while)."""
    with connection.cursor() as cur:
        cur.execute("SELECT max(id) FROM publicinfo_publishedrecord")
        value = cur.fetchone()[0]
    return max(int(value or 0), 0)


def _check_database() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        raise SystemExit("请设置 DATABASE_URL 为基准测试专用数据库（名称须含 bench）。")
    name = url.rsplit("/", 1)[-1]
    if "bench" not in name:
        raise SystemExit(f"数据库 {name} 不是基准测试库（名称须含 bench），拒绝写入。")
    return url


def _write_part(args: tuple[str, int, int, int, str, str]) -> tuple[str, int]:
    kind, start, count, seed, today_iso, out = args
    import django

    django.setup()
    from zhixing.publicinfo.importer import FIELDS
    from zhixing.publicinfo.synthetic import synthetic_csv_lines

    today = date.fromisoformat(today_iso)
    tmp = out + ".part"
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(FIELDS) + "\n")
        for offset in range(0, count, 100_000):
            size = min(100_000, count - offset)
            handle.writelines(
                synthetic_csv_lines(kind, start=start + offset, count=size, seed=seed, today=today)
            )
    os.replace(tmp, out)  # a complete file or none: a rerun regenerates only what is missing
    return out, count


def generate(
    kind: str, total: int, *, workdir: Path, seed: int, part_rows: int, today: date, processes: int
) -> list[Path]:
    jobs = []
    paths = []
    for n, start in enumerate(range(0, total, part_rows)):
        count = min(part_rows, total - start)
        out = workdir / f"{kind}-{n:03d}.csv"
        paths.append(out)
        if not out.exists():
            jobs.append((kind, start, count, seed, today.isoformat(), str(out)))
    if jobs:
        with mp.get_context("fork").Pool(max(1, min(processes, len(jobs)))) as pool:
            for _ in pool.imap_unordered(_write_part, jobs):
                pass
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dishonest", type=int, default=1_000_000)
    parser.add_argument("--debtor", type=int, default=0)
    parser.add_argument("--restricted", type=int, default=0)
    parser.add_argument("--terminated", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench-publicinfo")
    parser.add_argument("--part-rows", type=int, default=1_000_000, help="rows per CSV file")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="generating processes")
    parser.add_argument("--generate-only", action="store_true", help="write the CSV files, import nothing")
    parser.add_argument("--batch-size", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--workers", type=int, default=1, help="import processes (validate and write with own connections)"
    )
    parser.add_argument("--keep-files", action="store_true")
    parser.add_argument(
        "--from-csv",
        type=Path,
        nargs="+",
        default=None,
        help="import these CSV files (kept by an earlier run) instead of generating: <list>-NNN.csv into that "
        "list, other names into --from-csv-list",
    )
    parser.add_argument("--from-csv-list", default="dishonest")
    parser.add_argument(
        "--defer-indexes",
        action="store_true",
        help="initial load: drop the non-unique indexes during the import, rebuild them after (the unique "
        "identity key stays, so the import stays idempotent)",
    )
    args = parser.parse_args()
    _check_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from zhixing.publicinfo.importer import import_records

    call_command("migrate", verbosity=0)
    args.workdir.mkdir(parents=True, exist_ok=True)
    today = date.today()
    print(f"数据库：{connection.vendor} {connection.settings_dict['NAME']}")
    plan = [(k, getattr(args, k)) for k in ("dishonest", "debtor", "restricted", "terminated")]
    by_list: dict[str, list[Path]] = {}
    if args.from_csv:
        # files named <list>-NNN.csv (as generated) go to that list, any other file to --from-csv-list
        for path in args.from_csv:
            prefix = path.name.split("-", 1)[0]
            by_list.setdefault(prefix if prefix in dict(plan) else args.from_csv_list, []).append(path)
        plan = [(kind, -1) for kind in by_list]
        args.keep_files = True
    deferred = contextlib.ExitStack()
    if args.defer_indexes and not args.generate_only:
        from zhixing.publicinfo.importer import secondary_indexes_deferred

        names = deferred.enter_context(secondary_indexes_deferred())
        print(f"初次装载：暂不维护索引 {', '.join(names)}（导入后重建；唯一键保留）", flush=True)
    for kind, total in plan:
        if total == 0:
            continue
        if total < 0:
            files = by_list[kind]
        else:
            started = time.monotonic()
            files = generate(
                kind,
                total,
                workdir=args.workdir,
                seed=args.seed,
                part_rows=args.part_rows,
                today=today,
                processes=args.processes,
            )
            gen_s = time.monotonic() - started
            print(
                f"[{kind}] 生成 {total:,} 行 CSV（{len(files)} 个文件，{args.processes} 个进程）："
                f"{gen_s:.1f} 秒（{total / gen_s:,.0f} 行/秒）；负载 {_load()}",
                flush=True,
            )
            if args.generate_only:
                continue
        read = inserted = rejected = 0
        seconds = write_seconds = 0.0
        for path in sorted(files):
            before = _table_rows(connection)
            stats = import_records(
                path,
                kind=kind,
                fmt="csv",
                batch_size=args.batch_size,
                report_path=path.with_suffix(f".{connection.vendor}.rejected.csv"),
                workers=args.workers,
            )
            read += stats.read
            inserted += stats.inserted
            rejected += stats.rejected
            seconds += stats.seconds
            write_seconds += stats.write_seconds
            print(
                f"  {path.name}: {stats.read:,} 行，导入 {stats.inserted:,}，重复 {stats.duplicates:,}，"
                f"拒绝 {stats.rejected:,}，{stats.workers} 个进程，"
                f"{stats.rows_per_second:,.0f} 行/秒（表中原有约 {before:,} 行；负载 {_load()}）",
                flush=True,
            )
            if not args.keep_files:
                path.unlink()
        print(
            f"[{kind}] 导入 {inserted:,}/{read:,} 行（拒绝 {rejected:,}），用时 {seconds:.1f} 秒："
            f"{read / seconds:,.0f} 行/秒；其中数据库写入（COPY/INSERT）{write_seconds:.1f} 秒，"
            f"{inserted / max(write_seconds, 1e-9):,.0f} 行/秒",
            flush=True,
        )
    if args.generate_only:
        return
    started = time.monotonic()
    deferred.close()
    if args.defer_indexes:
        print(f"重建索引：{time.monotonic() - started:.1f} 秒；负载 {_load()}", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE publicinfo_publishedrecord")
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    from zhixing.publicinfo.models import PublishedRecord

    print(f"表中共有 {PublishedRecord.objects.count():,} 条记录。")


if __name__ == "__main__":
    main()
