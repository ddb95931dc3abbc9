#!/usr/bin/env bash
# Compare `briefing` with Hugo (and the bare floor) on the shared benchmark corpus.
#
#   bench/compare.sh N [options]
#
# Generates N incidents (plus N/10 groups, N/20 actors, 3N statements) with
# ../shared/bench/gen_corpus.py in the `briefing` and `hugo` formats, then builds each
# RUNS times, alternating tools run by run, and prints the median wall time and peak RSS
# (from /usr/bin/time -v) of each tool and the ratios. Hugo is skipped when it is not
# installed; the floor (examples/floor.rs) is skipped with --no-floor.
#
# Options:
#   --runs R         runs per tool (default 5)
#   --disk           write the output to disk (under --out-dir) instead of /dev/shm
#   --out-dir DIR    where outputs go with --disk (default /var/tmp/briefing-bench-out)
#   --scratch DIR    where the corpora go (default /dev/shm/briefing-bench if it fits, else
#                    /tmp/briefing-bench); corpora are reused when already there
#   --no-hugo        do not run Hugo even if installed
#   --no-floor       do not run the bare floor
#   --floor-highlight  also run the floor with syntect highlighting
#   --no-repeat      do not run the cached cases (below)
#   --keep-output    keep the last run's outputs (removed by default: they are big)
#   --clean          also remove the corpora at the end (kept by default for the next run)
#   --seed S         corpus seed (default: the generator's)
#
# Outputs are removed before every run (outside the measurement), so every tool writes
# into an empty folder, and `briefing` runs with an empty cache (`briefing clean` first).
# Then, in the same round, two cached cases (issue 16): `briefing-repeat` builds again with
# nothing changed, and `briefing-edit` builds after one incident's body was edited; both
# keep the previous output and the cache, as a writer's next build would. The edited file
# is restored at the end. Nothing is written inside the repository.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed 's/^# \{0,1\}//; /^set -euo/d'; exit "${1:-0}"; }

[[ $# -ge 1 ]] || usage 2
case "$1" in -h|--help) usage 0 ;; esac
N="$1"; shift
[[ "$N" =~ ^[0-9]+$ ]] || { echo "compare.sh: N must be a number of incidents" >&2; exit 2; }

RUNS=5; DISK=0; OUT_BASE=/var/tmp/briefing-bench-out; SCRATCH=""; HUGO_ON=1; FLOOR_ON=1
FLOOR_HL=0; CLEAN=0; KEEP_OUT=0; SEED=(); REPEAT=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --disk) DISK=1; shift ;;
    --out-dir) OUT_BASE="$2"; shift 2 ;;
    --scratch) SCRATCH="$2"; shift 2 ;;
    --no-hugo) HUGO_ON=0; shift ;;
    --no-floor) FLOOR_ON=0; shift ;;
    --floor-highlight) FLOOR_HL=1; shift ;;
    --no-repeat) REPEAT=0; shift ;;
    --keep-output) KEEP_OUT=1; shift ;;
    --clean) CLEAN=1; shift ;;
    --seed) SEED=(--seed "$2"); shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "compare.sh: unknown option $1" >&2; usage 2 ;;
  esac
done

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
GEN="${GEN_CORPUS:-$REPO/../shared/bench/gen_corpus.py}"
[[ -f "$GEN" ]] || { echo "compare.sh: corpus generator not found at $GEN (set GEN_CORPUS)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "compare.sh: /usr/bin/time is missing (apt-get install -y time)" >&2; exit 1; }

# Rough size of one corpus: 28 KB of Markdown per incident (with its share of the rest).
need_kb=$(( N * 28 * 2 + 65536 ))
if [[ -z "$SCRATCH" ]]; then
  shm_kb=$(df -Pk /dev/shm 2>/dev/null | awk 'NR==2 {print $4}')
  mem_kb=$(awk '/MemAvailable/ {print $2}' /proc/meminfo)
  # The corpora, the outputs (about 3x the input) and the builds must fit in RAM.
  if [[ -n "$shm_kb" && $shm_kb -gt $(( need_kb * 3 )) && $mem_kb -gt $(( need_kb * 4 + 6*1024*1024 )) ]]; then
    SCRATCH=/dev/shm/briefing-bench
  else
    SCRATCH=/tmp/briefing-bench
  fi
fi
if [[ $DISK -eq 1 ]]; then OUT_ROOT="$OUT_BASE"; else OUT_ROOT=/dev/shm/briefing-bench-out; fi
case "$SCRATCH/" in "$REPO"/*) echo "compare.sh: keep the corpus outside the repository" >&2; exit 1 ;; esac
mkdir -p "$SCRATCH" "$OUT_ROOT"

echo "== building briefing (release)" >&2
(cd "$REPO" && cargo build --release --quiet --bin briefing)
BRIEFING="$REPO/target/release/briefing"
FLOOR=""
if [[ $FLOOR_ON -eq 1 ]]; then
  (cd "$REPO" && cargo build --release --quiet --example floor) && FLOOR="$REPO/target/release/examples/floor"
fi
HUGO=""
if [[ $HUGO_ON -eq 1 ]]; then
  if command -v hugo >/dev/null 2>&1; then HUGO="$(command -v hugo)"; else
    echo "== hugo is not installed; skipping it (apt-get install -y hugo)" >&2; fi
fi

corpus() { # format -> dir
  local dir="$SCRATCH/$1-$N${SEED[1]:+-${SEED[1]}}"
  if [[ ! -f "$dir/.complete" ]]; then
    echo "== generating $N incidents ($1) into $dir" >&2
    rm -rf "$dir"
    python3 "$GEN" --incidents "$N" --out "$dir" --format "$1" "${SEED[@]}" >/dev/null
    touch "$dir/.complete"
  fi
  echo "$dir"
}
SRC_B="$(corpus briefing)"
SRC_H=""; [[ -n "$HUGO" ]] && SRC_H="$(corpus hugo)"
files=$(find "$SRC_B/content" -name '*.md' | wc -l)
mdsize=$(du -sk "$SRC_B/content" | cut -f1)

TOOLS=(briefing)
[[ $REPEAT -eq 1 ]] && TOOLS+=(briefing-repeat briefing-edit)
[[ -n "$HUGO" ]] && TOOLS+=(hugo)
[[ -n "$FLOOR" ]] && TOOLS+=(floor)
[[ -n "$FLOOR" && $FLOOR_HL -eq 1 ]] && TOOLS+=(floor+hl)

cmd_for() {
  local out="$OUT_ROOT/$1"
  case "$1" in
    briefing) echo "$BRIEFING" --quiet build --root "$SRC_B" --output "$out" ;;
    briefing-repeat|briefing-edit) echo "$BRIEFING" --quiet build --root "$SRC_B" --output "$OUT_ROOT/briefing" ;;
    hugo) echo "$HUGO" --quiet -s "$SRC_H" -d "$out" ;;
    floor) echo "$FLOOR" "$SRC_B" "$out" ;;
    floor+hl) echo "$FLOOR" "$SRC_B" "$out" --highlight ;;
  esac
}

calc() { awk "BEGIN {print $1}"; }

declare -A WALL RSS
LOG="$(mktemp)"
# The incident that `briefing-edit` edits, and its text to restore.
EDIT_FILE="$(find "$SRC_B/content/incidents" -name '*.md' | sort | sed -n 1p)"  # sed reads all: no SIGPIPE under pipefail
EDIT_KEEP="$(mktemp)"; cp "$EDIT_FILE" "$EDIT_KEEP"
cleanup() {
  cp "$EDIT_KEEP" "$EDIT_FILE"; rm -f "$EDIT_KEEP"
  "$BRIEFING" --quiet clean --root "$SRC_B" || true
  rm -f "$LOG" "$LOG.err"
  if [[ $KEEP_OUT -eq 0 ]]; then for t in "${TOOLS[@]}"; do rm -rf "${OUT_ROOT:?}/${t%%-*}"; done; fi
}
trap cleanup EXIT
echo "== $N incidents: $files files, $((mdsize / 1024)) MB of Markdown; output on $OUT_ROOT; $RUNS runs each, alternating" >&2
for ((r = 1; r <= RUNS; r++)); do
  for t in "${TOOLS[@]}"; do
    out="$OUT_ROOT/$t"
    case "$t" in
      briefing-repeat) ;;
      briefing-edit) printf '\nAn edit made by compare.sh, run %d.\n' "$r" >> "$EDIT_FILE" ;;
      briefing) rm -rf "$out"; "$BRIEFING" --quiet clean --root "$SRC_B" ;;
      *) rm -rf "$out" ;;
    esac
    sync
    # shellcheck disable=SC2046
    if ! /usr/bin/time -v -o "$LOG" $(cmd_for "$t") >/dev/null 2>"$LOG.err"; then
      echo "compare.sh: $t failed in run $r:" >&2; tail -5 "$LOG.err" >&2; exit 1
    fi
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$LOG")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$LOG")
    WALL[$t]+="$wall "; RSS[$t]+="$rss "
    printf '  run %d %-9s %8.2f s %8.0f MB\n' "$r" "$t" "$wall" "$(calc "$rss / 1024")" >&2
  done
done
rm -f "$LOG.err"

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
declare -A MW MR
for t in "${TOOLS[@]}"; do
  MW[$t]=$(echo "${WALL[$t]}" | median)
  MR[$t]=$(echo "${RSS[$t]}" | median)
done

where=tmpfs; [[ $DISK -eq 1 ]] && where=disk
echo
echo "$N incidents ($files files, $((mdsize / 1024)) MB), output on $where, median of $RUNS alternating runs:"
echo
echo "| tool | wall time | peak RSS | time / briefing | RSS / briefing |"
echo "|---|---|---|---|---|"
for t in "${TOOLS[@]}"; do
  printf '| %s | %.2f s | %.0f MB | %.2fx | %.2fx |\n' "$t" "${MW[$t]}" "$(calc "${MR[$t]} / 1024")" \
    "$(calc "${MW[$t]} / ${MW[briefing]}")" "$(calc "${MR[$t]} / ${MR[briefing]}")"
done
if [[ -n "$HUGO" ]]; then
  echo
  echo "Hugo / briefing (Hugo rebuilds everything every time):"
  for t in "${TOOLS[@]}"; do
    [[ $t == briefing* ]] && printf '  %-16s %.1fx\n' "$t" "$(calc "${MW[hugo]} / ${MW[$t]}")"
  done
fi
entities=$files
printf '\nbriefing: %.1f µs per entity (%d entities)\n' "$(calc "${MW[briefing]} * 1000000 / $entities")" "$entities"

if [[ $CLEAN -eq 1 ]]; then
  rm -rf "$SRC_B" "$SRC_H"
fi
