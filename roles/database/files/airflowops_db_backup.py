# Backups of the Airflow metadata database, run as the postgres user on the database host; installed by the
# database role as /usr/local/sbin/airflowops-db-backup. One implementation for every caller: the
# airflowops-db-backup timer, the role's backup entry point (rolling_update.yml before a migration,
# playbooks/backup.yml) and its restore_plan entry point (playbooks/restore.yml).
#
#   backup --dir D --database DB --keep N --label L [--copy-dest DEST]
#       pg_dump -Fc into D/DB-L-<UTC time>.pgc (written aside, then renamed: a dump that is there is whole),
#       keeps the newest N dumps of that label, copies the new one to DEST with rsync (a path, e.g. a mounted
#       share, or host:path) and keeps N of the label there too when DEST is a path.
#   find --dir D --database DB [--copy-dest DEST] [--file F]
#       the dump a restore would use: F, or the newest of D and DEST (when a path) by the time in its name;
#       with the schema revision it holds (alembic_version) and its age.
# Both print one JSON object; an error is {"error": "..."} with exit status 1.
from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import subprocess
import sys

TIME_FORMAT = "%Y%m%dT%H%M%SZ"


def _dumps(folder, database, label=None):
    """(time, path) of the dumps in folder, newest first; label None: every label."""
    pattern = re.compile(
        "^" + re.escape(database) + "-(" + (re.escape(label) if label else "[A-Za-z0-9_.+-]+") + r")-(\d{8}T\d{6}Z)\.pgc$"
    )
    found = []
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return found
    for name in names:
        match = pattern.match(name)
        if match:
            taken = datetime.datetime.strptime(match.group(2), TIME_FORMAT).replace(tzinfo=datetime.timezone.utc)
            found.append((taken, os.path.join(folder, name)))
    return sorted(found, reverse=True)


def _prune(folder, database, label, keep):
    removed = []
    for item in _dumps(folder, database, label)[keep:]:
        os.remove(item[1])
        removed.append(item[1])
    return removed


def _revision(path):
    """The alembic revision a dump holds (the row of alembic_version), or None."""
    result = subprocess.run(
        ["pg_restore", "--data-only", "--table=alembic_version", "--file=-", path],
        check=False, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise RuntimeError("pg_restore cannot read " + path + ": " + result.stderr.strip())
    in_copy = False
    for line in result.stdout.splitlines():
        if line.startswith("COPY ") and "alembic_version" in line:
            in_copy = True
        elif in_copy:
            return None if line == "\\." else line.strip()
    return None


def backup(args):
    taken = datetime.datetime.now(datetime.timezone.utc)
    name = "%s-%s-%s.pgc" % (args.database, args.label, taken.strftime(TIME_FORMAT))
    path = os.path.join(args.dir, name)
    partial = os.path.join(args.dir, "." + name + ".partial")
    os.umask(0o077)
    subprocess.run(["pg_dump", "--format=custom", "--file=" + partial, args.database], check=True)
    os.replace(partial, path)
    result = {"file": path, "taken_at": taken.isoformat(), "removed": _prune(args.dir, args.database, args.label, args.keep)}
    if args.copy_dest:
        subprocess.run(["rsync", "--times", "--chmod=F600", path, args.copy_dest.rstrip("/") + "/"], check=True)
        result["copied_to"] = args.copy_dest
        if args.copy_dest.startswith("/"):
            result["removed"] += _prune(args.copy_dest, args.database, args.label, args.keep)
    return result


def find(args):
    if args.file:
        if not os.path.isfile(args.file) or os.path.getsize(args.file) == 0:
            raise RuntimeError("no dump at " + args.file)
        match = re.search(r"-(\d{8}T\d{6}Z)\.pgc$", args.file)
        taken = (datetime.datetime.strptime(match.group(1), TIME_FORMAT).replace(tzinfo=datetime.timezone.utc) if match
                 else datetime.datetime.fromtimestamp(os.path.getmtime(args.file), datetime.timezone.utc))
        chosen = (taken, args.file)
    else:
        folders = [args.dir] + ([args.copy_dest] if args.copy_dest.startswith("/") else [])
        candidates = [item for folder in folders for item in _dumps(folder, args.database)]
        if not candidates:
            raise RuntimeError("no dump of " + args.database + " in " + " or ".join(folders))
        # Newest first; the same time in both folders: the local copy.
        chosen = max(candidates, key=lambda item: (item[0], item[1].startswith(args.dir.rstrip("/") + "/")))
    now = datetime.datetime.now(datetime.timezone.utc)
    return {
        "file": chosen[1],
        "taken_at": chosen[0].isoformat(),
        "age_seconds": int((now - chosen[0]).total_seconds()),
        "size": os.path.getsize(chosen[1]),
        "revision": _revision(chosen[1]),
    }


def main():
    parser = argparse.ArgumentParser(prog="airflowops-db-backup")
    parser.add_argument("action", choices=["backup", "find"])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--keep", type=int, default=1)
    parser.add_argument("--label", default="manual")
    parser.add_argument("--copy-dest", default="")
    parser.add_argument("--file", default="")
    args = parser.parse_args()
    if args.keep < 1:
        parser.error("--keep must be 1 or more")
    try:
        result = backup(args) if args.action == "backup" else find(args)
    except (RuntimeError, OSError, subprocess.CalledProcessError) as error:
        print(json.dumps({"error": str(error)}))
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
