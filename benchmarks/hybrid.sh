#!/usr/bin/env bash
# Queue-to-start latency on the hybrid Molecule scenario: a task's start minus its queued time (Airflow's own task
# instance times), median of 20 tasks each on a Celery worker in the database's zone, the Celery worker of zone
# cloud-a (Redis over TLS across zones) and the Edge worker of zone cloud-b (polls the API over HTTPS), against the
# Edge job poll interval.
# Usage: benchmarks/hybrid.sh   (keeps the scenario's hosts when BENCH_KEEP=1; results in benchmarks/results/)
source "$(dirname "$0")/lib.sh" hybrid
hybrid_rounds hybrid ../../benchmarks/queue_latency.yml \
  "hybrid benchmark, Airflow 3.3.2 + edge3 5.1.0, queue-to-start latency"
