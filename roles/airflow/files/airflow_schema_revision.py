# Where a schema revision (alembic_version of a metadata database, or of a dump) stands against the Airflow
# installed in a venv: read from the migration files' headers (revision, down_revision, airflow_version), without
# importing Airflow. Run by the base role's "schema" entry point with the system Python:
#   python3 airflow_schema_revision.py VENV REVISION
# prints {"revision", "known", "current", "head", "head_version", "revision_version"}: known is false for a
# revision the installed Airflow has no migration for (a schema of a newer Airflow).
from __future__ import annotations

import glob
import json
import os
import re
import sys

FIELDS = re.compile(r'^(revision|down_revision|airflow_version)\s*=\s*"([^"]*)"', re.MULTILINE)


def main():
    venv, revision = sys.argv[1], sys.argv[2]
    folders = glob.glob(os.path.join(venv, "lib", "python3*", "site-packages", "airflow", "migrations", "versions"))
    if len(folders) != 1:
        print(json.dumps({"error": "no Airflow migrations in " + venv}))
        return 1
    migrations = {}
    for path in glob.glob(os.path.join(folders[0], "*.py")):
        with open(path, encoding="utf-8") as handle:
            fields = dict(FIELDS.findall(handle.read()))
        if "revision" in fields:
            migrations[fields["revision"]] = fields
    parents = {fields.get("down_revision") for fields in migrations.values()}
    heads = sorted(name for name in migrations if name not in parents)
    if len(heads) != 1:
        print(json.dumps({"error": "the migrations in %s have %d heads" % (folders[0], len(heads))}))
        return 1
    print(json.dumps({
        "revision": revision,
        "known": revision in migrations,
        "current": revision == heads[0],
        "head": heads[0],
        "head_version": migrations[heads[0]].get("airflow_version", ""),
        "revision_version": migrations.get(revision, {}).get("airflow_version", ""),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
