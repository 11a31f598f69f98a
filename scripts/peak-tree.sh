#!/usr/bin/env bash
# peak-tree.sh LOG CMD...: runs CMD (its output appended to LOG) and samples its whole process
# tree every 0.5 s — for `python -m stemma.spark` that is the Python driver, the JVM it starts
# and the Python workers, which `/usr/bin/time -v` (the driver alone) does not see: the summed
# resident memory (its peak) and each process's CPU seconds (utime + stime, the last value
# seen; a process living less than 0.5 s may be missed). Appends "peak_tree_rss_kb N wall_s S
# rc R cpu_tree_s C" to LOG.
set -u
log=$1
shift
start=$(date +%s.%N)
"$@" >>"$log" 2>&1 &
pid=$!
peak=0
declare -A cpu
descendants() {
  echo "$1"
  local c
  for c in $(pgrep -P "$1"); do descendants "$c"; done
}
while kill -0 "$pid" 2>/dev/null; do
  sum=0
  for p in $(descendants "$pid"); do
    r=$(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null)
    sum=$((sum + ${r:-0}))
    t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null)
    [ -n "$t" ] && cpu[$p]=$t
  done
  [ "$sum" -gt "$peak" ] && peak=$sum
  sleep 0.5
done
wait "$pid"
rc=$?
end=$(date +%s.%N)
ticks=0
for t in "${cpu[@]}"; do ticks=$((ticks + t)); done
echo "peak_tree_rss_kb $peak wall_s $(echo "$end - $start" | bc) rc $rc cpu_tree_s $(echo "scale=1; $ticks / $(getconf CLK_TCK)" | bc)" >>"$log"
