"""Check 11: bandit finds no HIGH-severity issue in zhixing/, and no secret is committed to the repository."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BANDIT = Path(sys.executable).with_name("bandit")


def _bandit(*args: str) -> dict:  # type: ignore[type-arg]
    result = subprocess.run(  # noqa: S603 - our own venv's bandit with fixed arguments
        [str(BANDIT), "-q", "-r", "zhixing", "-x", "*/migrations/*", "-f", "json", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    assert result.stdout, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.mark.skipif(not BANDIT.exists(), reason="bandit is a dev dependency (pip install -e '.[dev]')")
def test_bandit_finds_no_high_severity_issue() -> None:
    report = _bandit()
    high = [r for r in report["results"] if r["issue_severity"] == "HIGH"]
    totals = report["metrics"]["_totals"]
    print(
        f"[bandit] {totals['loc']} lines scanned; HIGH {totals['SEVERITY.HIGH']:.0f}, "
        f"MEDIUM {totals['SEVERITY.MEDIUM']:.0f}, LOW {totals['SEVERITY.LOW']:.0f}, nosec {totals['nosec']:.0f}"
    )
    assert totals["loc"] > 10_000, "bandit must actually scan the code"
    assert not high, "\n".join(
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}" for r in high
    )


# --- Secrets in the repository ----------------------------------------------------------------------------------

# Built from parts so this file does not match its own patterns.
_BEGIN = "-----BEGIN"
SECRET_PATTERNS = {
    "private key": re.compile(
        _BEGIN + r" (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----"
    ),
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "AWS secret key": re.compile(r"(?i)aws_?secret_?access_?key\s*[=:]\s*['\"][A-Za-z0-9/+=]{40}['\"]"),
    "Alibaba Cloud AccessKey id": re.compile(r"\bLTAI[0-9A-Za-z]{12,24}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b"),
    # A literal user:password@ (templates such as {user}:{password}@ or ${PASS} are not secrets).
    "password in a URL": re.compile(
        r"\b(?:postgres(?:ql)?|mysql|redis|amqp)://[^:/\s@'\"{}$%<]+:[^@/\s'\"{}$%<]{3,}@"
    ),
}
# A literal secret assigned in settings: NAME = "value" (values must come from the environment).
SETTINGS_SECRET = re.compile(
    r"^(?P<name>[A-Z0-9_]*(?:SECRET|PASSWORD|PASSPHRASE|TOKEN|_KEY)[A-Z0-9_]*)\s*(?::[^=]+)?=\s*['\"](?P<value>[^'\"]+)['\"]",
    re.MULTILINE,
)
BINARY_SUFFIXES = {
    ".png",
    ".jpg",
    ".jpeg",
    ".webp",
    ".gif",
    ".ico",
    ".pdf",
    ".gz",
    ".woff",
    ".woff2",
    ".ttf",
    ".mp4",
    ".webm",
    ".docx",
    ".zip",
    ".dat",
    ".bin",
    ".sqlite3",
}


def _tracked() -> list[str]:
    git = shutil.which("git")
    assert git, "git is needed to list tracked files"
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [git, "ls-files", "-z"], capture_output=True, cwd=ROOT, timeout=60, check=True
    )
    return [p for p in result.stdout.decode().split("\0") if p]


def scan(files: dict[str, str]) -> list[str]:
    """Findings for {path: text}: secret-looking strings anywhere, literal secrets in settings, .env files."""
    findings: list[str] = []
    for path, text in files.items():
        name = Path(path).name
        if name == ".env" or (name.startswith(".env.") and not name.endswith((".example", ".sample"))):
            findings.append(f"{path}: .env 文件不应提交")
        for label, pattern in SECRET_PATTERNS.items():
            for m in pattern.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                findings.append(f"{path}:{line}: {label}")
        if path.startswith("zhixing/settings/") and path.endswith(".py"):
            for m in SETTINGS_SECRET.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                findings.append(f"{path}:{line}: 设置中的明文密钥 {m.group('name')}")
    return findings


def test_no_secrets_in_tracked_files() -> None:
    files: dict[str, str] = {}
    for path in _tracked():
        full = ROOT / path
        if Path(path).suffix.lower() in BINARY_SUFFIXES or not full.is_file():
            continue
        try:
            files[path] = full.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
    print(f"[secrets] {len(files)} tracked text files scanned")
    assert len(files) > 200
    assert not [p for p in files if p.startswith("var/")], "var/ (keys, databases) must never be tracked"
    findings = scan(files)
    assert not findings, "\n".join(findings)


def test_secret_scanner_catches_planted_secrets() -> None:
    """The scanner itself: each kind of planted secret is found; ordinary code is not flagged."""
    planted = {
        "deploy/key.pem": _BEGIN + " RSA PRIVATE KEY-----\nMIIE...\n",
        "zhixing/x.py": 'AWS = "AKIA' + "ABCDEFGHIJKLMNOP" + '"\n',
        "zhixing/y.py": 'ALIYUN = "LTAI' + "5tAbCdEfGhIjKlMn" + '"\n',
        "zhixing/settings/prod.py": 'SIGNING_PASSPHRASE = "' + "hunter2hunter2" + '"\n',
        "zhixing/settings/db.py": 'URL = "postgres://zx:' + "s3cretpw" + '@db:5432/zx"\n',
        ".env": "SECRET_KEY=abc\n",
    }
    found = scan(planted)
    assert {f.split(":")[0] for f in found} == set(planted)
    clean = {
        "zhixing/settings/security.py": 'SECRET_KEY = env_str("SECRET_KEY")\nTOKEN_SALT = env_str("X", "")\n',
        "README.md": "postgres://postgres@127.0.0.1:5432/test\n",
        "deploy/x.py": 'URL = f"postgres://{user}:{password}@127.0.0.1:{port}/{db}"\nB = "redis://:${REDIS_PASS}@r"\n',
    }
    assert scan(clean) == []
