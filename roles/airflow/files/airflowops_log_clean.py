# Log retention for an Airflow host, run as the airflow user by airflowops-log-clean.service (the base role
# installs it as /usr/local/sbin/airflowops-log-clean):
#   --dir D --days N [--max-mb M]
# deletes the files under D last written more than N days ago, then, with M above 0, the oldest files until D
# holds at most M MiB, then the folders left empty (never D). Symbolic links are neither followed nor deleted.
# Prints one JSON object: deleted_old, deleted_for_size, freed_bytes, remaining_bytes.
from __future__ import annotations

import argparse
import json
import os
import stat
import sys
import time


def _files(root):
    found = []
    for folder, _dirs, names in os.walk(root, followlinks=False):
        for name in names:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            if stat.S_ISREG(info.st_mode):
                found.append((info.st_mtime, info.st_size, path))
    return sorted(found)


def main():
    parser = argparse.ArgumentParser(prog="airflowops-log-clean")
    parser.add_argument("--dir", required=True)
    parser.add_argument("--days", type=int, required=True)
    parser.add_argument("--max-mb", type=int, default=0)
    args = parser.parse_args()
    if args.days < 1 or args.max_mb < 0:
        parser.error("--days must be 1 or more and --max-mb 0 or more")
    cutoff = time.time() - args.days * 86400
    result = {"deleted_old": 0, "deleted_for_size": 0, "freed_bytes": 0}
    kept = []
    for mtime, size, path in _files(args.dir):
        if mtime < cutoff:
            os.remove(path)
            result["deleted_old"] += 1
            result["freed_bytes"] += size
        else:
            kept.append((mtime, size, path))
    total = sum(item[1] for item in kept)
    if args.max_mb > 0:
        while kept and total > args.max_mb * 1024 * 1024:
            _mtime, size, path = kept.pop(0)
            os.remove(path)
            total -= size
            result["deleted_for_size"] += 1
            result["freed_bytes"] += size
    for folder, _dirs, _names in sorted(os.walk(args.dir, followlinks=False), reverse=True):
        if folder != args.dir and not os.listdir(folder):
            os.rmdir(folder)
    result["remaining_bytes"] = total
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
