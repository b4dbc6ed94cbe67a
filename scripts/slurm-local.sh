#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the sweep executor's end-to-end
# test and for trying `tinym2net sweep run --executor slurm` without a cluster.
#   scripts/slurm-local.sh start    installs slurm-wlm + munge (scripts/deps-slurm.txt),
#                                   writes the config and starts munged, slurmctld, slurmd
#   scripts/slurm-local.sh status   the daemons and `sinfo`
#   scripts/slurm-local.sh stop     stops the three daemons it started (by their pid files)
# Everything lives in one folder it owns (TM2_SLURM_DIR, default /tmp/tm2-slurm):
# slurm.conf, the MUNGE key and socket, state, spool, logs and pid files. No
# cgroups (proctrack/linuxproc, task/none), no accounting database (sacct then
# has nothing; `sweep status` reads squeue and the trial folders). Runs as root.
# Clients need the config: export SLURM_CONF="$TM2_SLURM_DIR/slurm.conf" (printed by start).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${TM2_SLURM_DIR:-/tmp/tm2-slurm}"
conf="$dir/slurm.conf"
export SLURM_CONF="$conf"
node="$(hostname -s)"

daemon_pid() {  # the live pid recorded in $1's pid file, or nothing
  local f="$dir/$1.pid"
  [ -f "$f" ] || return 0
  local pid
  pid="$(cat "$f")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi
}

write_config() {
  mkdir -p "$dir"/{state,spool,munge,log}
  chmod 700 "$dir/munge"
  [ -f "$dir/munge/munge.key" ] || mungekey --create --keyfile="$dir/munge/munge.key" --force
  chmod 400 "$dir/munge/munge.key"
  local cpus mem_mb
  cpus="$(nproc)"
  mem_mb="$(awk '/MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)"
  cat >"$conf" <<CONF
# Written by scripts/slurm-local.sh: one node, no cgroups, no accounting.
ClusterName=tm2local
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket.2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
KillWait=30
MinJobAge=300
SlurmdTimeout=60
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
}

start() {
  bash "$root/scripts/install-deps.sh" "$root/scripts/deps-slurm.txt"
  write_config
  if [ -z "$(daemon_pid munged)" ]; then
    # --force: the folder sits under the world-writable /tmp, which munged would refuse.
    munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket.2" \
      --pid-file="$dir/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"
  fi
  [ -n "$(daemon_pid slurmctld)" ] || slurmctld -f "$conf"
  [ -n "$(daemon_pid slurmd)" ] || slurmd -f "$conf" -N "$node"
  for _ in $(seq 1 60); do
    if sinfo --noheader --format=%T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
      echo "slurm-local: cluster up (node $node); export SLURM_CONF=$conf"
      return 0
    fi
    sleep 1
  done
  echo "slurm-local: the node did not come up; logs in $dir/log" >&2
  sinfo >&2 || true
  tail -n 20 "$dir"/log/*.log >&2 || true
  return 1
}

stop() {
  for d in slurmd slurmctld munged; do
    local pid
    pid="$(daemon_pid "$d")"
    [ -n "$pid" ] || continue
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  done
  echo "slurm-local: stopped"
}

status() {
  local all=0
  for d in munged slurmctld slurmd; do
    local pid
    pid="$(daemon_pid "$d")"
    if [ -n "$pid" ]; then echo "$d: running (pid $pid)"; else echo "$d: stopped"; all=1; fi
  done
  [ "$all" -eq 0 ] && sinfo
  return "$all"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
