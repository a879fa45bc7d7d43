"""Reads the task instances of a DAG run (the REST API's JSON, on stdin) and prints, as JSON, the queue-to-start
latency of each (start_date - queued_when, seconds) and their median, min and max, with the hosts they ran on."""

import json
import statistics
import sys
from datetime import datetime


def seconds(tis):
    out = []
    for ti in tis:
        if ti.get("queued_when") and ti.get("start_date"):
            start = datetime.fromisoformat(ti["start_date"].replace("Z", "+00:00"))
            queued = datetime.fromisoformat(ti["queued_when"].replace("Z", "+00:00"))
            out.append(round((start - queued).total_seconds(), 2))
    return out


def main():
    tis = json.load(sys.stdin)["task_instances"]
    samples = seconds(tis)
    print(json.dumps({
        "tasks": len(tis),
        "samples": len(samples),
        "median": statistics.median(samples) if samples else None,
        "min": min(samples, default=None),
        "max": max(samples, default=None),
        "hosts": sorted({ti.get("hostname") for ti in tis}),
        "each": samples,
    }))


if __name__ == "__main__":
    main()
