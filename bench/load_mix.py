"""Load test of the production mode (scripts/prod-start: nginx TLS → gunicorn → PostgreSQL + replica, Redis,
S3) with a realistic mix, headless locust on loopback, bounded in time. Not a test: it prints figures.

    set -a; . var/prod/prod.env; set +a        # or the PROD_VAR_DIR of the instance under load
    .venv/bin/python bench/load_mix.py --base https://127.0.0.1:8443 --users 40 --duration 90

The server under load must be started with the bench-only limits lifted, or the per-IP limits (every
simulated user comes from 127.0.0.1) throttle the run: ``PUBLICINFO_THROTTLE=off LOGIN_IP_LIMIT=1000000
INTERACTION_MESSAGES_PER_HOUR=1000000 INTERACTION_CLUES_PER_HOUR=1000000 scripts/prod-start`` (never in
production). Demo data (seed_demo) must be loaded; DATABASE_URL (from prod.env) is read once to pick
published names for the public queries.

The mix (user classes by weight, tasks by weight inside each class):
  公众 Visitor ×6   失信/被执行人 list query (API) 4, 综合查询 (API) 1, 执行头条 feed 3, article 3,
                    法规 search 3, law reading page 2, 执行指南 1, FAQ answer 1, 我要咨询 1
  当事人 Party ×2   (13800000001, logged in) 留言 list 3, progress 2, post a message 2,
                    clue with a small photo upload (S3) 1, 我的文书 1
  法官 Judge ×2     (judge_wang/judge_li/judge_zhao/judge_chen/judge_liu, logged in) team queue 3,
                    全院案件 list 2, 案件查询 2, case page 2, 事项信息 form + stage form save (暂存: row lock, stage
                    record, audit event) 2, real 提交 2 (flow state API for the version, then the submit API:
                    财产查控 → 财产处置 with 是否有拍=有拍 — stage record closed, next stage entered with a team,
                    assignee and deadline, progress node, audit event)
Judges log in round-robin (judge_wang and judge_li, the 财产查控 judges of 历下法院, first). A real submit moves
a case irreversibly, so before the window bench/load_cases.py files and receives --submit-pool fresh cases
(real services, the instance's own environment) into 财产查控; each judge submits only cases assigned to them,
each case once. Judges whose pool is empty (the other stages' judges) skip the submit task. After the run the
submitted cases' stages are read back from the database.
Statistics are reset --settle seconds (10) after all users are spawned, when their logins are done, so the
figures cover the steady state only.
"""
# ruff: noqa: E402  -- gevent must patch the standard library before anything else imports it

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse
import io
import json
import os
import random
import re
import ssl
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, between, events, task
from locust.env import Environment

from zhixing.lib import synth

PASSWORD = "Zhixing@2026"  # noqa: S105 - the published demo password
PARTY_PHONE = "13800000001"
JUDGES = ["judge_wang", "judge_li", "judge_zhao", "judge_chen", "judge_liu"]
LAW_TERMS = [
    "执行",
    "失信被执行人",
    "限制高消费",
    "迟延履行",
    "财产保全",
    "拍卖",
    "查封",
    "终结本次执行",
    "执行异议",
    "冻结",
]
ASK = [
    "老赖不还钱怎么办",
    "怎么申请强制执行",
    "被限制高消费能坐高铁吗",
    "执行款多久到账",
    "怎么查被执行人财产",
]


@dataclass
class Catalog:
    base: str
    channels: list[str] = field(default_factory=list)
    articles: list[int] = field(default_factory=list)
    law_pages: list[str] = field(default_factory=list)
    faq: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


CATALOG: Catalog | None = None
# username → fresh 财产查控 case ids that user may submit (bench/load_cases.py); one gevent loop, so pop() is safe.
POOL: dict[str, list[int]] = {}
SUBMITTED: list[int] = []
_JUDGE_TURN = [0]
LOAD_CASES = Path(__file__).resolve().parent / "load_cases.py"


def prepare_pool(count: int) -> dict[str, list[int]]:
    out = subprocess.run(
        [sys.executable, str(LOAD_CASES), "--count", str(count)],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
        timeout=600,
    )
    pool: dict[str, list[int]] = json.loads(out.stdout.strip().splitlines()[-1])["pool"]
    return pool


def check_pool(ids: list[int]) -> dict[str, int]:
    if not ids:
        return {}
    out = subprocess.run(
        [sys.executable, str(LOAD_CASES), "--check", ",".join(map(str, ids))],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
        timeout=120,
    )
    moved: dict[str, int] = json.loads(out.stdout.strip().splitlines()[-1])
    return moved


def _get_json(base: str, path: str) -> Any:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with urllib.request.urlopen(base + path, context=ctx, timeout=30) as resp:  # noqa: S310 - loopback bench
        return json.loads(resp.read())


def discover(base: str, database_url: str) -> Catalog:
    """What exists on the instance: channels, articles, law pages, FAQ codes, published names."""
    cat = Catalog(base=base)
    cat.channels = [c["slug"] for c in _get_json(base, "/api/v1/content/channels")]
    for slug in cat.channels:
        feed = _get_json(base, f"/api/v1/content/articles?channel={urllib.parse.quote(slug)}")
        cat.articles += [a["id"] for a in feed.get("items", [])]
    cat.articles = sorted(set(cat.articles))
    for term in LAW_TERMS[:4]:
        found = _get_json(base, f"/api/v1/laws/search?q={urllib.parse.quote(term)}")
        cat.law_pages += [i["url"] for i in found.get("items", []) if i.get("url")]
    cat.law_pages = sorted({u.split("#", 1)[0] for u in cat.law_pages})
    faq = _get_json(base, "/api/v1/assist/faq")
    cat.faq = [f["code"] for f in (faq.get("items", faq) if isinstance(faq, dict) else faq)]
    if database_url:
        import psycopg

        with psycopg.connect(
            database_url.replace("postgres://", "postgresql://", 1), connect_timeout=10
        ) as conn:
            rows = conn.execute(
                "SELECT DISTINCT name FROM publicinfo_publishedrecord WHERE status = 'published' LIMIT 300"
            ).fetchall()
        cat.names = [r[0] for r in rows]
    # A share of queries for names that are not published (the common case for a member of the public).
    cat.names += ["王建国", "李秀英", "张伟强", "刘德华", "陈晓明"]
    return cat


def _png() -> bytes:
    from PIL import Image

    img = Image.new("RGB", (96, 72), tuple(random.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


class _Base(FastHttpUser):
    abstract = True
    insecure = True
    wait_time = between(1, 3)

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        token = ""
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                token = cookie.value or ""
        return {"Referer": f"{self.host}/", "Origin": str(self.host), "X-CSRFToken": token, **(extra or {})}

    @property
    def cat(self) -> Catalog:
        assert CATALOG is not None
        return CATALOG


class Visitor(_Base):
    weight = 6

    @task(4)
    def list_query(self) -> None:
        kind = random.choice(["dishonest", "debtor", "restricted", "terminated"])
        self.client.post(
            f"/api/v1/public/lists/{kind}",
            json={"name": random.choice(self.cat.names), "page": 1},
            headers={"Referer": f"{self.host}/"},
            name="公众 查询服务 名单查询 API",
        )

    @task(1)
    def comprehensive(self) -> None:
        self.client.post(
            "/api/v1/public/comprehensive",
            json={"name": random.choice(self.cat.names), "id_number": synth.resident_id(random.Random())},
            headers={"Referer": f"{self.host}/"},
            name="公众 查询服务 综合查询 API",
        )

    @task(3)
    def feed(self) -> None:
        channel = random.choice(self.cat.channels or ["recommend"])
        self.client.get(f"/?channel={urllib.parse.quote(channel)}", name="公众 执行头条 频道")

    @task(3)
    def article(self) -> None:
        if self.cat.articles:
            self.client.get(
                f"/content/articles/{random.choice(self.cat.articles)}/", name="公众 执行头条 文章"
            )

    @task(3)
    def law_search(self) -> None:
        term = random.choice(LAW_TERMS)
        self.client.get(f"/laws/?q={urllib.parse.quote(term)}", name="公众 法律法规 检索")

    @task(2)
    def law_page(self) -> None:
        if self.cat.law_pages:
            self.client.get(random.choice(self.cat.law_pages), name="公众 法律法规 条文页")

    @task(1)
    def guide(self) -> None:
        self.client.get("/guide/", name="公众 执行指南")

    @task(1)
    def faq(self) -> None:
        if self.cat.faq:
            self.client.get(f"/assist/faq/{random.choice(self.cat.faq)}/", name="公众 常见问题")

    @task(1)
    def ask(self) -> None:
        self.client.get(f"/assist/ask/?q={urllib.parse.quote(random.choice(ASK))}", name="公众 我要咨询")


class Party(_Base):
    weight = 2
    case_id = 0

    def on_start(self) -> None:
        self.client.get("/api/v1/accounts/csrf", name="当事人 登录")
        with self.client.post(
            "/api/v1/accounts/login",
            json={"phone": PARTY_PHONE, "password": PASSWORD},
            headers=self._headers(),
            name="当事人 登录",
            catch_response=True,
        ) as resp:
            if resp.status_code != 200:
                resp.failure(f"login {resp.status_code}")
                return
        self.client.get("/api/v1/accounts/csrf", name="当事人 登录")
        cases = self.client.get("/api/v1/interaction/cases", name="当事人 我的案件 API").json()
        self.case_id = cases[0]["id"] if cases else 0

    @task(3)
    def messages(self) -> None:
        self.client.get(f"/service/messages/?case={self.case_id}", name="当事人 留言列表")

    @task(2)
    def progress(self) -> None:
        self.client.get(f"/service/progress/?case={self.case_id}", name="当事人 执行进度")

    @task(2)
    def post_message(self) -> None:
        if self.case_id:
            self.client.post(
                f"/api/v1/interaction/cases/{self.case_id}/messages",
                json={"body": f"请问案件进展如何？{random.randrange(10**6)}"},
                headers=self._headers(),
                name="当事人 给法官留言 API",
            )

    @task(1)
    def post_clue(self) -> None:
        if not self.case_id:
            return
        boundary = "----zxbench" + str(random.randrange(10**12))
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="body"\r\n\r\n被执行人车辆停放地点线索\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="clue.png"\r\n'
                "Content-Type: image/png\r\n\r\n"
            ).encode()
            + _png()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        self.client.post(
            f"/api/v1/interaction/cases/{self.case_id}/clues",
            data=body,  # type: ignore[arg-type]  # bytes are sent as they are
            headers=self._headers({"Content-Type": f"multipart/form-data; boundary={boundary}"}),
            name="当事人 提交线索+照片上传 API",
        )

    @task(1)
    def documents(self) -> None:
        self.client.get("/service/documents/", name="当事人 我的文书")


class Judge(_Base):
    weight = 2
    team_path = "/workbench/flow/team/asset_control/"

    def on_start(self) -> None:
        self.username = JUDGES[_JUDGE_TURN[0] % len(JUDGES)]
        _JUDGE_TURN[0] += 1
        self.client.get("/workbench/login/", name="法官 登录")
        token = ""
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                token = cookie.value or ""
        with self.client.post(
            "/workbench/login/",
            data=urllib.parse.urlencode(
                {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
            ),
            headers=self._headers({"Content-Type": "application/x-www-form-urlencoded"}),
            name="法官 登录",
            catch_response=True,
        ) as resp:
            if "/workbench/login/" in (resp.url or "") and resp.status_code != 302:
                resp.failure("login refused")
        home = self.client.get("/workbench/", name="法官 工作台首页")
        found = re.findall(r'href="(/workbench/flow/team/[a-z_]+/)"', home.text or "")
        if found:
            self.team_path = found[0]
        queue = self.client.get(self.team_path, name="法官 团队案件队列")
        ids = sorted({int(x) for x in re.findall(r"/workbench/flow/cases/(\d+)/", queue.text or "")})
        cases = self.client.get("/workbench/cases/", name="法官 全院案件")
        self.cases = ids or sorted({int(x) for x in re.findall(r"/workbench/cases/(\d+)/", cases.text or "")})
        self.actionable: list[int] = []
        pooled = {i for ids in POOL.values() for i in ids}
        for case_id in [c for c in self.cases if c not in pooled][:8]:
            page = self.client.get(f"/workbench/flow/cases/{case_id}/flow/", name="法官 事项信息")
            if 'value="draft"' in (page.text or ""):
                self.actionable.append(case_id)

    @task(3)
    def queue(self) -> None:
        self.client.get(self.team_path, name="法官 团队案件队列")

    @task(2)
    def all_cases(self) -> None:
        self.client.get("/workbench/cases/", name="法官 全院案件")

    @task(2)
    def search(self) -> None:
        q = random.choice(["鲁0102执", "2024", "执恢", "有限公司"])
        self.client.get(f"/workbench/flow/search/?q={urllib.parse.quote(q)}", name="法官 案件查询")

    @task(2)
    def case_page(self) -> None:
        if self.cases:
            self.client.get(f"/workbench/cases/{random.choice(self.cases)}/", name="法官 案件详情")

    @task(2)
    def stage_save(self) -> None:
        if not self.actionable:
            return
        case_id = random.choice(self.actionable)
        page = self.client.get(f"/workbench/flow/cases/{case_id}/flow/", name="法官 事项信息")
        version = re.search(r'name="version" value="(\d+)"', page.text or "")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text or "")
        if not version or not token:
            return
        with self.client.post(
            f"/workbench/flow/cases/{case_id}/flow/",
            data=urllib.parse.urlencode(
                {
                    "version": version.group(1),
                    "action": "draft",
                    "other_notes": f"负载测试暂存 {random.randrange(10**6)}",
                    "csrfmiddlewaretoken": token.group(1),
                }
            ),
            headers=self._headers({"Content-Type": "application/x-www-form-urlencoded"}),
            name="法官 阶段表单暂存（提交）",
            catch_response=True,
        ) as resp:
            # Another judge's save in between makes the version stale: a 422 refusal by design, not an error.
            if resp.status_code == 422 and "已由他人流转或修改" in (resp.text or ""):
                resp.success()

    @task(2)
    def stage_submit(self) -> None:
        mine = POOL.get(self.username)
        if not mine:
            return
        case_id = mine.pop()
        with self.client.get(
            f"/api/v1/flow/cases/{case_id}", name="法官 流转状态 API", catch_response=True
        ) as resp:
            state = resp.json() if resp.status_code == 200 else {}
            if resp.status_code == 200 and not (
                state.get("can_act") and (state.get("stage") or {}).get("code")
            ):
                resp.failure(f"pool case {case_id} not actionable: {str(state)[:120]}")
                return
        if "version" not in state:
            return
        with self.client.post(
            f"/api/v1/flow/cases/{case_id}/submit",
            json={
                "version": state["version"],
                "next_stage": "asset_disposal",
                "has_auction": True,
                "other_notes": f"负载测试提交 {random.randrange(10**6)}",
            },
            headers=self._headers(),
            name="法官 阶段提交（真实流转）API",
            catch_response=True,
        ) as resp:
            if resp.status_code == 200 and (resp.json() or {}).get("stage") == "asset_disposal":
                SUBMITTED.append(case_id)
            elif resp.status_code == 200:
                resp.failure(f"submitted but not in 财产处置: {(resp.text or '')[:120]}")


def _server_roots(var_dir: str) -> dict[str, int]:
    """Root pids of the topology's processes (scripts/prod-start pidfiles and the PostgreSQL postmasters)."""
    roots: dict[str, int] = {}
    base = os.path.abspath(var_dir)
    run = os.path.join(base, "run")
    for name in sorted(os.listdir(run)) if os.path.isdir(run) else []:
        if name.endswith(".pid"):
            try:
                roots[name[:-4]] = int(Path(run, name).read_text().split()[0])
            except (OSError, ValueError, IndexError):
                continue
    for cluster in ("pg-primary", "pg-replica"):
        try:
            roots[cluster] = int(Path(base, cluster, "postmaster.pid").read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            continue
    return roots


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def _cpu_seconds(root: int, tree: dict[int, list[int]]) -> float:
    """CPU time of a process tree: the root's own and its reaped children's, plus every live descendant's."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    stack, first = [root], True
    while stack:
        pid = stack.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
        total += (utime + stime + ((cutime + cstime) if first else 0)) / tick
        first = False
        stack.extend(tree.get(pid, []))
    return total


def server_cpu(var_dir: str) -> dict[str, float]:
    tree = _children()
    return {name: _cpu_seconds(pid, tree) for name, pid in _server_roots(var_dir).items()}


def _pct(entry: Any, p: float) -> float:
    return float(entry.get_response_time_percentile(p) or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=os.environ.get("PUBLIC_BASE_URL", "https://127.0.0.1:8443"))
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=90, help="seconds of steady state after spawning")
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_REPLICA_URL") or os.environ.get("DATABASE_URL", "")
    )
    parser.add_argument("--json", default="", help="also write the figures to this file")
    parser.add_argument(
        "--settle", type=float, default=10, help="seconds after spawning before the measured window opens"
    )
    parser.add_argument(
        "--submit-pool",
        type=int,
        default=60,
        help="fresh 财产查控 cases filed before the window for the judges' real 提交 (0: no submits)",
    )
    parser.add_argument(
        "--server-var",
        default=os.environ.get("PROD_VAR_DIR", ""),
        help="PROD_VAR_DIR of the instance: measure the CPU its processes spend per request",
    )
    args = parser.parse_args()

    global CATALOG
    CATALOG = discover(args.base.rstrip("/"), args.database_url)
    print(
        f"catalog: {len(CATALOG.channels)} channels, {len(CATALOG.articles)} articles, {len(CATALOG.law_pages)} law pages, "
        f"{len(CATALOG.faq)} FAQ, {len(CATALOG.names)} names"
    )
    if args.submit_pool:
        t0 = time.monotonic()
        POOL.update(prepare_pool(args.submit_pool))
        print(
            f"submit pool: {sum(map(len, POOL.values()))} fresh 财产查控 cases in {time.monotonic() - t0:.1f} s, "
            + ", ".join(f"{u} {len(ids)}" for u, ids in sorted(POOL.items()))
        )
    pooled_ids = sorted(i for ids in POOL.values() for i in ids)
    for cls in (Visitor, Party, Judge):
        cls.host = args.base.rstrip("/")
    env = Environment(user_classes=[Visitor, Party, Judge], events=events)
    runner = env.create_local_runner()
    window: dict[str, float] = {}

    cpu: dict[str, dict[str, float]] = {}

    def open_window() -> None:
        env.stats.reset_all()
        window["submitted_before"] = len(SUBMITTED)
        window["start"] = time.monotonic()
        if args.server_var:
            cpu["before"] = server_cpu(args.server_var)
        gevent.spawn_later(args.duration, runner.quit)

    def on_spawned(user_count: int, **_: Any) -> None:
        # The last users' on_start (logins: deliberately slow password hashing) ends after spawning does.
        gevent.spawn_later(args.settle, open_window)

    events.spawning_complete.add_listener(on_spawned)
    load_before = os.getloadavg()
    runner.start(args.users, spawn_rate=args.spawn_rate)
    assert runner.greenlet is not None
    runner.greenlet.join()
    elapsed = time.monotonic() - window.get("start", time.monotonic())
    load_after = os.getloadavg()
    if args.server_var:
        cpu["after"] = server_cpu(args.server_var)
    cpu_by_process = {
        name: round(cpu["after"][name] - cpu["before"].get(name, 0.0), 2)
        for name in cpu.get("after", {})
        if name in cpu.get("before", {})
    }

    total = env.stats.total
    in_db = check_pool(pooled_ids)
    submits = {
        "pool": len(pooled_ids),
        "submitted_ok": len(SUBMITTED),
        "submitted_in_window": len(SUBMITTED) - int(window.get("submitted_before", 0)),
        "unique_cases": len(set(SUBMITTED)),
        "pool_cases_by_stage_in_db": in_db,
        "submits_per_s": (len(SUBMITTED) - int(window.get("submitted_before", 0))) / elapsed
        if elapsed
        else 0.0,
    }
    rows = []
    for (name, method), entry in sorted(env.stats.entries.items()):
        rows.append(
            {
                "name": name,
                "method": method,
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "p50_ms": _pct(entry, 0.5),
                "p95_ms": _pct(entry, 0.95),
                "rps": entry.num_requests / elapsed if elapsed else 0.0,
            }
        )
    error_rate = total.num_failures / total.num_requests if total.num_requests else 0.0
    summary = {
        "base": args.base,
        "users": args.users,
        "user_classes": {"Visitor": Visitor.weight, "Party": Party.weight, "Judge": Judge.weight},
        "duration_s": round(elapsed, 1),
        "requests": total.num_requests,
        "failures": total.num_failures,
        "error_rate": error_rate,
        "p50_ms": _pct(total, 0.5),
        "p95_ms": _pct(total, 0.95),
        "p99_ms": _pct(total, 0.99),
        "rps": total.num_requests / elapsed if elapsed else 0.0,
        "loadavg_before": load_before,
        "loadavg_after": load_after,
        "server_cpu_seconds": cpu_by_process,
        "server_cpu_ms_per_request": (
            1000 * sum(cpu_by_process.values()) / total.num_requests
            if cpu_by_process and total.num_requests
            else None
        ),
        "submits": submits,
        "endpoints": rows,
        "errors": [
            {"name": e.name, "method": e.method, "error": str(e.error), "count": e.occurrences}
            for e in env.stats.errors.values()
        ],
    }
    print(f"\n{'endpoint':<30} {'method':<6} {'req':>6} {'fail':>5} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7}")
    for r in rows:
        print(
            f"{r['name']:<30} {r['method']:<6} {r['requests']:>6} {r['failures']:>5} {r['p50_ms']:>8.0f} "
            f"{r['p95_ms']:>8.0f} {r['rps']:>7.2f}"
        )
    print(
        f"\nTOTAL users={args.users} duration={elapsed:.0f}s requests={total.num_requests} failures={total.num_failures} "
        f"error_rate={error_rate * 100:.2f}% p50={summary['p50_ms']:.0f}ms p95={summary['p95_ms']:.0f}ms "
        f"p99={summary['p99_ms']:.0f}ms throughput={summary['rps']:.1f} req/s"
    )
    print(f"load average before {load_before}, after {load_after}")
    print(
        f"real submits (财产查控 → 财产处置): {submits['submitted_in_window']} in the window "
        f"({submits['submits_per_s']:.2f}/s), {submits['submitted_ok']} in all on "
        f"{submits['unique_cases']} distinct cases, of a pool of "
        f"{submits['pool']}; pool cases by stage in the database now: {in_db}"
    )
    if cpu_by_process:
        busy = sum(cpu_by_process.values())
        print(
            f"server CPU during the window: {busy:.1f} s = {busy / elapsed:.2f} cores busy; "
            f"{1000 * busy / max(total.num_requests, 1):.1f} ms CPU per request; by process: {cpu_by_process}"
        )
    for e in summary["errors"][:20]:
        print(f"error: {e['count']}× {e['method']} {e['name']}: {e['error'][:160]}")
    targets_met = error_rate < 0.005 and summary["p95_ms"] < 500
    print("targets (error rate < 0.5 %, p95 < 500 ms):", "met" if targets_met else "NOT met")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(summary, out, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
