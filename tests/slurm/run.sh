#!/usr/bin/env bash
# The shipped Slurm scripts (examples/slurm) on a real one-node Slurm cluster
# started by hand on 127.0.0.1 (no systemd): munged, slurmctld and slurmd on a
# generated slurm.conf in a temporary folder, with fresh state and
# non-default ports. Checks that 4 shards merged equal one run over the
# sample corpus, and that a failing shard cancels the dependent merge.
#
#   tests/slurm/run.sh [COTAG_BINARY]      (default: target/release/cotag)
#
# Installs Debian's slurm-wlm and munge when missing (needs root). Stops
# every daemon it started, by PID, even on failure. Ends with "N passed, N failed".
set -uo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
cotag=$(realpath "${1:-$repo/target/release/cotag}")
corpus=$repo/corpus
timeout=${SLURM_TEST_TIMEOUT:-180}
passed=0
failed=0

pass() { echo "ok ($SECONDS s): $*"; passed=$((passed + 1)); }
fail() { echo "FAILED: $*"; failed=$((failed + 1)); }

if [ ! -x "$cotag" ]; then
  echo "no cotag binary at $cotag (build it, or name it as the first argument)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "slurm-wlm and munge are missing and only root can install them" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  echo "== installing slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -q && apt-get install -y -q --no-install-recommends slurm-wlm munge; } >/tmp/cotag-slurm-apt.log 2>&1; then
    tail -30 /tmp/cotag-slurm-apt.log >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/cotag-slurm.XXXXXX")
# munged wants its socket's folder searchable by all.
chmod 0755 "$work"
pids=()
logs=()

# Stops what this script started, newest first: jobs, slurmd, slurmctld, munged.
cleanup() {
  if [ -f "$work/slurm.conf" ] && [ ${#pids[@]} -gt 0 ]; then
    SLURM_CONF=$work/slurm.conf timeout 10 scancel --quiet --user="$(id -un)" >/dev/null 2>&1 || true
  fi
  local i pid
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid=${pids[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$failed" -eq 0 ] && [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

show_logs() {
  local f
  for f in "${logs[@]}" "$work"/logs/*; do
    [ -f "$f" ] || continue
    echo "----- $f"
    tail -40 "$f"
  done
}

finish() {
  if [ "$failed" -gt 0 ]; then
    show_logs
    echo "(logs and tables kept in $work)"
  fi
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

# Waits up to $timeout seconds for a command to succeed.
wait_for() {
  local what=$1
  shift
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      fail "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep 0.5
  done
}

mkdir -p "$work/state" "$work/spool" "$work/logs" "$work/work"
# Ports away from Slurm's defaults (6817/6818), chosen per run.
base=$((20000 + RANDOM % 20000))
ctld_port=$base
slurmd_port=$((base + 1))
cpus=$(nproc)
mem_mb=$(awk '/MemTotal/ { m = int($2 / 1024 / 2); print (m > 4096 ? 4096 : m) }' /proc/meminfo)
user=$(id -un)

echo "== munged"
head -c 1024 /dev/urandom >"$work/munge.key"
chmod 0400 "$work/munge.key"
munged -F --force --key-file="$work/munge.key" --socket="$work/munge.socket" \
  --pid-file="$work/munged.pid" --log-file="$work/munged.log" --seed-file="$work/munged.seed" \
  >"$work/munged.out" 2>&1 &
pids+=($!)
logs+=("$work/munged.log" "$work/munged.out")
wait_for "munged" test -S "$work/munge.socket" || finish

cat >"$work/slurm.conf" <<EOF
ClusterName=cotagtest
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=$user
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge.socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=100
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
ReturnToService=2
MinJobAge=600
KillWait=5
InactiveLimit=0
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=cotagnode NodeAddr=127.0.0.1 NodeHostname=$(hostname) CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=test Nodes=cotagnode Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$work/slurm.conf

echo "== slurmctld and slurmd (ports $ctld_port, $slurmd_port)"
slurmctld -D -i -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 &
pids+=($!)
logs+=("$work/slurmctld.log" "$work/slurmctld.out")
slurmd -D -N cotagnode -f "$SLURM_CONF" >"$work/slurmd.out" 2>&1 &
pids+=($!)
logs+=("$work/slurmd.log" "$work/slurmd.out")
node_idle() { sinfo -h -n cotagnode -o %T | grep -qx idle; }
if wait_for "the node to be idle" node_idle; then
  pass "one-node cluster is up"
else
  sinfo -N -l 2>&1
  finish
fi

# The state of job $1 (COMPLETED, FAILED, CANCELLED, PENDING, ...).
job_state() { scontrol -o show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -1 | cut -d= -f2; }
# Whether every job of $1 (an array: all its tasks) has ended.
job_done() {
  local states
  states=$(scontrol -o show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2)
  [ -n "$states" ] && ! grep -qE '^(PENDING|RUNNING|CONFIGURING|COMPLETING|REQUEUED|RESIZING|SUSPENDED)$' <<<"$states"
}
submit() { sbatch --parsable --chdir="$work/work" --export=ALL,COTAG="$cotag" "$@" | cut -d';' -f1; }

echo "== 4 shards and a dependent merge"
single=$work/single
"$cotag" run "$corpus" -o "$single" -q || fail "cotag run over the sample corpus"
array=$(submit --array=0-3 --cpus-per-task=1 --mem-per-cpu=200M --output="$work/logs/shard-%A_%a.log" \
  "$repo/examples/slurm/cotag-array.sbatch" "$corpus" "$work/parts")
merge=$(submit --dependency=afterok:"$array" --mem=500M --output="$work/logs/merge-%j.log" \
  "$repo/examples/slurm/cotag-merge.sbatch" "$work/parts" "$work/merged" 4)
if [ -z "$array" ] || [ -z "$merge" ]; then
  fail "sbatch did not submit the jobs"
  finish
fi
wait_for "merge job $merge" job_done "$merge"
state=$(job_state "$merge")
if [ "$state" = COMPLETED ]; then pass "the merge job ran after the array ($state)"; else fail "merge job $merge: $state"; fi
for i in 0 1 2 3; do
  [ -f "$work/parts/part-$i-of-4/manifest.json" ] || fail "shard $i wrote no part"
done
same=1
for table in documents.csv mentions.csv entities.csv cooccurrence.csv nodes.csv edges.csv; do
  if ! cmp -s "$single/$table" "$work/merged/$table"; then
    fail "merged $table differs from one run's"
    same=0
  fi
done
manifests_equal() {
  python3 - "$1" "$2" <<'PY'
import json, sys
free = {"started", "finished", "elapsed_seconds", "command_line", "shard", "coverage", "threads"}
a, b = (json.load(open(p + "/manifest.json")) for p in sys.argv[1:3])
for m in (a, b):
    for k in free:
        m.pop(k, None)
    m["options"].pop("out", None)
if a != b:
    print(json.dumps(a, indent=1, sort_keys=True), json.dumps(b, indent=1, sort_keys=True), sep="\n-----\n")
    sys.exit(1)
PY
}
manifests_equal "$single" "$work/merged" || { fail "merged manifest.json differs from one run's"; same=0; }
[ "$same" = 1 ] && pass "4 shards merged on Slurm equal one run, table by table"

echo "== a failing shard cancels the merge"
# A cotag that fails on shard 2 of 4, so the shipped scripts run unchanged.
cat >"$work/failing-cotag" <<EOF
#!/bin/sh
case " \$* " in *" --shard 2/4 "*) echo "shard 2 fails on purpose" >&2; exit 3 ;; esac
exec "$cotag" "\$@"
EOF
chmod +x "$work/failing-cotag"
array=$(sbatch --parsable --chdir="$work/work" --export=ALL,COTAG="$work/failing-cotag" --array=0-3 \
  --cpus-per-task=1 --mem-per-cpu=200M --output="$work/logs/failing-%A_%a.log" \
  "$repo/examples/slurm/cotag-array.sbatch" "$corpus" "$work/parts2" | cut -d';' -f1)
merge=$(submit --dependency=afterok:"$array" --mem=500M --output="$work/logs/merge2-%j.log" \
  "$repo/examples/slurm/cotag-merge.sbatch" "$work/parts2" "$work/merged2" 4)
wait_for "shard array $array" job_done "$array"
wait_for "merge job $merge to end" job_done "$merge"
state=$(job_state "$merge")
if [ "$state" = CANCELLED ] && [ ! -e "$work/merged2" ]; then
  pass "the merge was cancelled and wrote nothing"
else
  fail "merge job $merge after a failed shard: ${state:-unknown}; merged2 exists: $([ -e "$work/merged2" ] && echo yes || echo no)"
fi
if [ ! -e "$work/parts2/part-2-of-4" ] && [ -d "$work/parts2/part-1-of-4" ]; then
  pass "the failed shard left no part; the others did"
else
  fail "parts after a failed shard: $(ls -A "$work/parts2" 2>&1 | tr '\n' ' ')"
fi

finish
