"""roles/git_sync/files/airflow-git-sync on this machine, against local Git repositories: first checkout,
idempotence, a broken commit refused while the active version stays, unknown refs, pinning an earlier commit
(rollback, also with the server gone), check mode, a sub-folder, pruning, leftovers of an interrupted run.
Validation runs the stand-in DagBag of tests/unit/plugins/fake_airflow."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROGRAM = REPO / "roles" / "git_sync" / "files" / "airflow-git-sync"
FAKE_AIRFLOW = REPO / "tests" / "unit" / "plugins" / "fake_airflow"
GOOD = "DAG_ID = 'sales'\n"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


class Upstream:
    """A bare repository and a work tree that commits to it."""

    def __init__(self, tmp_path):
        self.bare = tmp_path / "upstream.git"
        self.work = tmp_path / "work"
        git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(self.bare))
        git(tmp_path, "clone", "--quiet", str(self.bare), str(self.work))
        git(self.work, "config", "user.email", "t@example.invalid")
        git(self.work, "config", "user.name", "test")

    def commit(self, files, branch="main"):
        for path in self.work.iterdir():
            if path.name != ".git":
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        for rel, text in files.items():
            (self.work / rel).parent.mkdir(parents=True, exist_ok=True)
            (self.work / rel).write_text(text)
        git(self.work, "add", "-A")
        git(self.work, "commit", "--quiet", "--allow-empty", "-m", "files")
        git(self.work, "push", "--quiet", "--force", "origin", "HEAD:%s" % branch)
        return git(self.work, "rev-parse", "HEAD")


@pytest.fixture()
def upstream(tmp_path):
    return Upstream(tmp_path)


@pytest.fixture()
def sync(tmp_path, upstream):
    env = tmp_path / "airflow.env"
    env.write_text("PYTHONPATH='%s'\n" % FAKE_AIRFLOW)
    config = dict(name="dags", repo=str(upstream.bare), ref="main", subdir="", depth=1, interval=5, keep=3,
                  validate=True, reserialize=False, root=str(tmp_path / "root"), user="root",
                  python=sys.executable, airflow_bin="/bin/false", env_file=str(env))

    def run(*args, **overrides):
        cfg = dict(config, **overrides)
        path = tmp_path / "config.json"
        path.write_text(json.dumps(cfg))
        env_vars = dict(os.environ, PYTHONPATH=str(FAKE_AIRFLOW))
        proc = subprocess.run([sys.executable, str(PROGRAM), "--config", str(path), "--once", *args],
                              capture_output=True, text=True, env=env_vars, timeout=120, check=False)
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        result["rc"] = proc.returncode
        return result

    run.root = Path(config["root"])
    return run


def active(root):
    return os.readlink(root / "active")


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="the program drops to the service user when run as root")


@needs_root
def test_first_sync_then_nothing_to_do(sync, upstream):
    sha = upstream.commit({"sales.py": GOOD, "lib/helpers.py": "X = 1\n"})
    first = sync()
    assert first["rc"] == 0 and first["changed"] and first["active"] == sha and first["dags"] == ["sales"]
    assert active(sync.root) == "versions/" + sha
    assert (sync.root / "active" / "lib" / "helpers.py").read_text() == "X = 1\n"
    again = sync()
    assert again["rc"] == 0 and not again["changed"] and again["active"] == sha


@needs_root
def test_broken_commit_is_refused_and_remembered(sync, upstream):
    good = upstream.commit({"sales.py": GOOD})
    sync()
    bad = upstream.commit({"sales.py": GOOD, "broken.py": "def oops(:\n"})
    refused = sync()
    assert refused["rc"] == 1 and refused["active"] == good and refused["refused"] and not refused["unreachable"]
    assert "broken.py: SyntaxError" in refused["msg"] and "%s stays active" % good in refused["msg"]
    assert active(sync.root) == "versions/" + good
    assert not (sync.root / "versions" / bad).exists()
    status = json.loads((sync.root / "status.json").read_text())
    assert [key.split()[0] for key in status["refused"]] == [bad]
    # The refusal is remembered: the next run says so without validating again.
    again = sync()
    assert "was refused" in again["msg"] and again["refused"]
    # A fixed commit goes live.
    fixed = upstream.commit({"sales.py": GOOD, "other.py": "Y = 2\n"})
    assert sync()["active"] == fixed


@needs_root
def test_unknown_ref_and_unreachable_repository_leave_the_active_version(sync, upstream, tmp_path):
    sha = upstream.commit({"sales.py": GOOD})
    sync()
    unknown = sync("--ref", "no-such-branch")
    assert unknown["rc"] == 1 and "the ref does not exist" in unknown["msg"] and unknown["active"] == sha
    gone = sync("--repo", str(tmp_path / "nowhere.git"))
    assert gone["rc"] == 1 and "stays active" in gone["msg"] and gone["active"] == sha
    assert active(sync.root) == "versions/" + sha
    # A refusal (no such ref, no repository there) is not an outage; a server that does not answer is.
    assert not unknown["unreachable"] and not gone["unreachable"]
    # Nor a refused commit: that is a commit that fails to import.
    assert not unknown["refused"] and not gone["refused"]
    down = sync("--repo", "git://127.0.0.1:1/dags.git")
    assert down["rc"] == 1 and down["unreachable"] and "stays active" in down["msg"] and down["active"] == sha
    assert active(sync.root) == "versions/" + sha


@needs_root
def test_ref_that_reads_as_an_option_is_refused(sync, upstream):
    upstream.commit({"sales.py": GOOD})
    refused = sync(ref="--upload-pack=touch /tmp/x")
    assert refused["rc"] == 2 and "would read it as an option" in refused["msg"]


@needs_root
def test_pinning_an_earlier_commit_rolls_back_even_without_the_server(sync, upstream, tmp_path):
    first = upstream.commit({"sales.py": GOOD})
    sync()
    second = upstream.commit({"sales.py": GOOD, "more.py": "Z = 3\n"})
    assert sync()["active"] == second
    shutil.move(str(upstream.bare), str(tmp_path / "moved.git"))
    back = sync(ref=first)
    assert back["rc"] == 0 and back["changed"] and back["previous"] == second and back["active"] == first
    assert sorted(p.name for p in (sync.root / "active").iterdir()) == ["sales.py"]


@needs_root
def test_check_mode_validates_and_switches_nothing(sync, upstream):
    first = upstream.commit({"sales.py": GOOD})
    sync()
    second = upstream.commit({"sales.py": GOOD, "more.py": "Z = 3\n"})
    checked = sync("--check")
    assert checked["rc"] == 0 and checked["changed"] and checked["active"] == second
    assert active(sync.root) == "versions/" + first
    assert not (sync.root / "versions" / second).exists()
    broken = upstream.commit({"broken.py": "def oops(:\n"})
    refused = sync("--check")
    assert refused["rc"] == 1 and "broken.py" in refused["msg"]
    # Check mode does not record refusals.
    assert "refused" not in json.loads((sync.root / "status.json").read_text())
    assert broken


@needs_root
def test_subdir_prune_and_leftovers(sync, upstream):
    shas = [upstream.commit({"dags/sales.py": GOOD, "dags/n.py": "N = %d\n" % n, "README": "docs\n"}) for n in range(1)]
    (sync.root / "versions").mkdir(parents=True)
    (sync.root / "versions" / ".incoming-deadbeef-x").mkdir()
    assert sync(subdir="dags")["rc"] == 0
    assert not (sync.root / "versions" / ".incoming-deadbeef-x").exists()
    assert sorted(p.name for p in (sync.root / "active").iterdir()) == ["n.py", "sales.py"]
    for n in range(1, 5):
        shas.append(upstream.commit({"dags/sales.py": GOOD, "dags/n.py": "N = %d\n" % n}))
        assert sync(subdir="dags")["active"] == shas[-1]
    kept = sorted(p.name for p in (sync.root / "versions").iterdir())
    assert kept == sorted(shas[-3:])


@needs_root
def test_lock_files_of_a_killed_git_are_cleared(sync, upstream):
    """A fetch killed at fetch_timeout leaves shallow.lock and ref locks; git then refuses every later fetch."""
    upstream.commit({"sales.py": GOOD})
    assert sync()["rc"] == 0
    cache = sync.root / "cache.git"
    for rel in ("shallow.lock", "refs/remotes/origin/main.lock", "packed-refs.lock"):
        (cache / rel).parent.mkdir(parents=True, exist_ok=True)
        (cache / rel).write_text("")
    sha = upstream.commit({"sales.py": GOOD, "more.py": "M = 1\n"})
    after = sync()
    assert after["rc"] == 0 and after["active"] == sha, after
    assert not list(cache.rglob("*.lock"))


class _GitOverHTTP(BaseHTTPRequestHandler):
    """Smart HTTP (git http-backend as CGI) behind Basic authentication, for the token option."""

    root = ""
    credentials = ""

    def log_message(self, *_args):
        pass

    def do_GET(self):  # noqa: N802 - http.server's naming
        self._serve()

    def do_POST(self):  # noqa: N802
        self._serve()

    def _serve(self):
        if self.headers.get("Authorization") != "Basic " + base64.b64encode(self.credentials.encode()).decode():
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="git"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        path, _sep, query = self.path.partition("?")
        env = dict(os.environ, GIT_PROJECT_ROOT=self.root, GIT_HTTP_EXPORT_ALL="1", PATH_INFO=path, QUERY_STRING=query,
                   REQUEST_METHOD=self.command, CONTENT_TYPE=self.headers.get("Content-Type", ""), REMOTE_USER="deploy",
                   HTTP_CONTENT_ENCODING=self.headers.get("Content-Encoding", ""),
                   HTTP_GIT_PROTOCOL=self.headers.get("Git-Protocol", ""))
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        out = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True, check=False).stdout
        head, _sep, payload = out.partition(b"\r\n\r\n")
        status = 200
        headers = []
        for line in head.decode().splitlines():
            name, _sep, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.split()[0])
            else:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture()
def http_upstream(upstream):
    _GitOverHTTP.root = str(upstream.bare.parent)
    _GitOverHTTP.credentials = "deploy:s3cret/token"
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GitOverHTTP)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d/%s" % (server.server_address[1], upstream.bare.name)
    server.shutdown()


@needs_root
def test_https_token_from_the_credential_file(sync, upstream, http_upstream, tmp_path):
    sha = upstream.commit({"sales.py": GOOD})
    host = http_upstream.split("/")[2]
    creds = tmp_path / "dags.credentials"
    # The format the role writes: scheme://user:urlencoded-token@host
    creds.write_text("http://deploy:s3cret%%2Ftoken@%s\n" % host)
    creds.chmod(0o600)
    assert sync(repo=http_upstream, credentials=str(creds))["active"] == sha
    creds.write_text("http://deploy:wrong@%s\n" % host)
    refused = sync(repo=http_upstream, credentials=str(creds))
    assert refused["rc"] == 1 and "refused the user name or token" in refused["msg"] and refused["active"] == sha
    no_creds = sync(repo=http_upstream)
    assert no_creds["rc"] == 1 and "stays active" in no_creds["msg"]
