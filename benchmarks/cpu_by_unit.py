"""Where the CPU of a Molecule run goes: samples the cgroups of the scenario containers while they run.

    python3 benchmarks/cpu_by_unit.py --out /tmp/cpu.json --every 15 [--prefix airflowops-]   # until Ctrl-C or --stop-file

Every --every seconds it reads, for each running container whose name starts with --prefix, the CPU time of
each systemd unit inside it (cgroup v2 cpu.stat of system.slice/<unit>, seen through the host's unified
hierarchy) and of the whole container; what the container used outside its units is what `docker exec`
ran (Ansible's modules). The host's own busy time (/proc/stat) minus every container's is the controller
(ansible-playbook, Molecule, dockerd). Counters only grow while a container lives, so the last sample of
each container is its total. On exit it writes the totals (CPU seconds) as JSON and prints a table sorted
by CPU: which component, on which host, and how much went to Ansible itself.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time

CGROUP_ROOTS = ["/sys/fs/cgroup/unified/docker", "/sys/fs/cgroup/system.slice"]


def read_usage(path):
    try:
        with open(os.path.join(path, "cpu.stat")) as handle:
            for line in handle:
                key, value = line.split()
                if key == "usage_usec":
                    return int(value) / 1e6
    except OSError:
        return None
    return None


def host_busy():
    with open("/proc/stat") as handle:
        fields = [int(x) for x in handle.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def containers(prefix):
    out = subprocess.run(["docker", "ps", "--no-trunc", "--format", "{{.ID}} {{.Names}}"],
                         capture_output=True, text=True, check=False).stdout.split("\n")
    return [line.split(" ", 1) for line in out if line.strip() and line.split(" ", 1)[1].startswith(prefix)]


def cgroup_dir(container_id):
    for root in CGROUP_ROOTS:
        for name in (container_id, "docker-%s.scope" % container_id):
            path = os.path.join(root, name)
            if os.path.isdir(path):
                return path
    return None


def sample(prefix, totals):
    for container_id, name in containers(prefix):
        path = cgroup_dir(container_id)
        if path is None:
            continue
        whole = read_usage(path)
        units = {}
        slice_dir = os.path.join(path, "system.slice")
        if os.path.isdir(slice_dir):
            for unit in os.listdir(slice_dir):
                if unit.endswith(".service"):
                    usage = read_usage(os.path.join(slice_dir, unit))
                    if usage:
                        units[unit] = usage
        if whole is not None:
            totals[container_id[:12]] = {"name": name, "total": whole, "units": units}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--every", type=float, default=15)
    parser.add_argument("--prefix", default="airflowops-")
    parser.add_argument("--stop-file")
    args = parser.parse_args()
    totals, start_busy, start = {}, host_busy(), time.time()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    while not stop and not (args.stop_file and os.path.exists(args.stop_file)):
        sample(args.prefix, totals)
        time.sleep(args.every)
    sample(args.prefix, totals)
    busy = host_busy() - start_busy
    rows = []
    for entry in totals.values():
        units = sum(entry["units"].values())
        for unit, usage in entry["units"].items():
            rows.append((usage, entry["name"], unit))
        rows.append((entry["total"] - units, entry["name"], "(docker exec: Ansible modules)"))
    containers_total = sum(entry["total"] for entry in totals.values())
    result = {"wall_s": round(time.time() - start), "host_busy_s": round(busy), "containers_s": round(containers_total),
              "controller_s": round(busy - containers_total), "containers": totals}
    with open(args.out, "w") as handle:
        json.dump(result, handle, indent=1, sort_keys=True)
    print("wall %(wall_s)s s, host busy %(host_busy_s)s CPU-s: containers %(containers_s)s, controller %(controller_s)s"
          % result)
    for usage, name, unit in sorted(rows, reverse=True)[:40]:
        print("%8.0f  %-28s %s" % (usage, name, unit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
