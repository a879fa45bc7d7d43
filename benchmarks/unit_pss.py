"""Memory of systemd units as PSS (proportional set size: shared pages split between the processes that map
them; no page cache), summed over every process of each unit's cgroup. Runs on a managed host as root:
    python3 unit_pss.py airflow-scheduler airflow-api-server ...   (no argument: every airflow-* unit)
Prints one "unit MB processes" line per unit and a total."""

import glob
import subprocess
import sys


def units():
    out = subprocess.run(["systemctl", "list-units", "--type=service", "--state=running", "--no-legend", "--plain",
                          "airflow-*"], capture_output=True, text=True, check=True).stdout
    return [line.split()[0][:-len(".service")] for line in out.splitlines() if line.strip()]


def pids(unit):
    cgroup = subprocess.run(["systemctl", "show", "-p", "ControlGroup", "--value", unit],
                            capture_output=True, text=True, check=True).stdout.strip()
    for path in glob.glob("/sys/fs/cgroup%s/cgroup.procs" % cgroup) + glob.glob("/sys/fs/cgroup/*%s/cgroup.procs" % cgroup):
        with open(path) as f:
            return [int(p) for p in f.read().split()]
    return []


def pss_kb(pid):
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            return sum(int(line.split()[1]) for line in f if line.startswith("Pss:"))
    except OSError:  # the process ended meanwhile
        return 0


def main():
    total = 0
    for unit in sys.argv[1:] or units():
        procs = pids(unit)
        kb = sum(pss_kb(p) for p in procs)
        total += kb
        print("%-28s %7.0f MB  %d processes" % (unit, kb / 1024, len(procs)))
    print("%-28s %7.0f MB" % ("total", total / 1024))


if __name__ == "__main__":
    main()
