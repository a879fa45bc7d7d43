#!/usr/bin/env bash
# Push-to-visible on the hybrid Molecule scenario (a Git server over SSH reached from every zone, git_sync checkout
# mode on every Airflow host, interval from molecule/hybrid/molecule.yml): seconds from "git push" returning to the
# new DAG answering in the REST API, over BENCH_ROUNDS rounds (default 5). Goal: <= interval + 10 s.
# Usage: benchmarks/dag_delivery.sh   (keeps the scenario's hosts when BENCH_KEEP=1; results in benchmarks/results/)
source "$(dirname "$0")/lib.sh" dag_delivery
hybrid_rounds dag_delivery ../../benchmarks/push_to_visible.yml \
  "dag_delivery benchmark, Airflow 3.3.2, git_sync checkout mode over SSH"
