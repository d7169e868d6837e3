#!/bin/sh
# The Slurm recipe of docs/sweeps.md, for real: a single-node Slurm cluster started here
# (munged with a key of its own, slurmctld and slurmd on 127.0.0.1 with a slurm.conf
# generated into a temporary folder, free ports), the script `rpvp sweep --slurm` wrote
# submitted with sbatch as an array job, then `rpvp merge`: the same CSV, bit for bit, as
# the sweep run locally. Everything started here is stopped on exit, by its pid.
#   sweep_slurm.sh RPVP SCENARIO WORKDIR
# Needs Debian's slurm-wlm and munge (tools/deps/sweeps.txt) and root (slurmd runs jobs
# as their user).
set -eu
rpvp=$1 scenario=$2 work=$3
fail() { echo "FAIL: $*"; exit 1; }
for p in munged mungekey slurmctld slurmd sbatch sinfo; do
    command -v "$p" >/dev/null || fail "$p not found: install slurm-wlm and munge (sh tools/setup.sh)"
done
[ "$(id -u)" = 0 ] || fail "slurmd needs root to start jobs (run the test as root)"
rm -rf "$work"; mkdir -p "$work"
# Unix socket paths are short (108 bytes): the daemons' files go under /tmp.
d=$(mktemp -d /tmp/rpvp-slurm.XXXXXX)
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    for p in $pids; do wait "$p" 2>/dev/null || true; done
    rm -rf "$d"
}
trap cleanup EXIT INT TERM
# Show the daemons' logs when something went wrong.
logs() { for f in "$d"/*.log; do echo "--- $f"; tail -n 20 "$f"; done; }
. "$(dirname "$0")/../common/wait.sh"
wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
    t=$1 what=$2; shift 2
    wait_until "$t" "" "$@" || { logs; fail "$what not within $t s"; }
}

# --- munge: its own key and socket ---
mkdir -p "$d/state" "$d/spool"
mungekey -c -k "$d/munge.key" && chmod 600 "$d/munge.key"
munged -f -F -S "$d/munge.sock" --key-file="$d/munge.key" --log-file="$d/munged.log" \
    --pid-file="$d/munged.pid" --seed-file="$d/munged.seed" >/dev/null 2>&1 &
pids="$pids $!"
wait_for 20 "munged's socket" test -S "$d/munge.sock"

# --- slurm.conf: this host as the one node, on two free ports ---
ports=$(python3 -c 'import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')
set -- $ports
h=$(hostname -s)
cat >"$d/slurm.conf" <<EOF
ClusterName=rpvp
SlurmctldHost=$h(127.0.0.1)
SlurmctldPort=$1
SlurmdPort=$2
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$d/munge.sock
CredType=cred/munge
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
# A container without cgroup delegation: track processes by parent, no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
NodeName=$h NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=rpvp Nodes=$h Default=YES MaxTime=INFINITE State=UP
EOF
SLURM_CONF=$d/slurm.conf
export SLURM_CONF
slurmctld -D -f "$SLURM_CONF" >"$d/slurmctld.out.log" 2>&1 &
pids="$pids $!"
slurmd -D -f "$SLURM_CONF" -N "$h" >"$d/slurmd.out.log" 2>&1 &
pids="$pids $!"
node_idle() { sinfo -h -N -o %t | grep -qx idle; }
wait_for 60 "the node idle in sinfo" node_idle
echo "single-node Slurm up: $(sinfo -h -o '%P %a %D %t %N')"

# --- the sweep: locally, and as a Slurm array job ---
"$rpvp" sweep "$scenario" --out "$work/local" -j 2 >"$work/local.log" 2>&1 ||
    { cat "$work/local.log"; fail "rpvp sweep failed"; }
"$rpvp" sweep "$scenario" --out "$work/slurm" --slurm >"$work/slurm.log" 2>&1 ||
    { cat "$work/slurm.log"; fail "rpvp sweep --slurm failed"; }
grep -q '^#SBATCH --array=0-3$' "$work/slurm/sweep.sbatch" || fail "not a 4-task array job"
timeout 600 sbatch --wait "$work/slurm/sweep.sbatch" >"$work/sbatch.log" 2>&1 ||
    { cat "$work/sbatch.log"; logs; fail "the array job failed"; }
job=$(sed -n 's/^Submitted batch job //p' "$work/sbatch.log")
tasks=$(ls "$work/slurm"/slurm-*.out | wc -l)
[ "$tasks" = 4 ] || fail "want 4 task outputs, got $tasks"
"$rpvp" merge "$work/slurm" --no-plots >"$work/merge.log" 2>&1 ||
    { cat "$work/merge.log"; fail "rpvp merge failed"; }
rows=$(tail -n +2 "$work/slurm/results.csv" | grep -c ',ok,')
[ "$rows" = 4 ] || { cat "$work/slurm/results.csv"; fail "want 4 ok rows, got $rows"; }
cmp "$work/local/results.csv" "$work/slurm/results.csv" ||
    { diff "$work/local/results.csv" "$work/slurm/results.csv"; fail "the CSVs differ"; }
echo "Slurm array job $job ran the 4 points; rpvp merge gives the local sweep's CSV"
