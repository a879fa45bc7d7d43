"""Reads the task instances of a DAG run (the REST API's JSON, on stdin) and prints, as JSON, for tasks that ran one
after the other: the queue-to-start latency of each (start_date - queued_when, Airflow's own times), and the handoff
(a task's start_date - the end_date of the task before it: scheduling, queueing and start together), each with its
median, min and max, and the hosts the tasks ran on."""

import json
import statistics
import sys
from datetime import datetime


def when(value):
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def figures(samples):
    return {
        "median": round(statistics.median(samples), 2) if samples else None,
        "min": min(samples, default=None),
        "max": max(samples, default=None),
    }


def main():
    tis = sorted(json.load(sys.stdin)["task_instances"], key=lambda ti: ti["task_id"])
    queued = [round((when(t["start_date"]) - when(t["queued_when"])).total_seconds(), 2)
              for t in tis if t.get("queued_when") and t.get("start_date")]
    handoff = [round((when(b["start_date"]) - when(a["end_date"])).total_seconds(), 2)
               for a, b in zip(tis, tis[1:]) if a.get("end_date") and b.get("start_date")]
    print(json.dumps({
        "tasks": len(tis),
        "samples": len(queued),
        "queued": figures(queued),
        "handoff": figures(handoff),
        "hosts": sorted({ti.get("hostname") for ti in tis}),
    }))


if __name__ == "__main__":
    main()
