#!/usr/bin/env bash
# Run every fuzz target for a bounded time, one job each, and summarise.
#
#   fuzz/run.sh [SECONDS] [TARGET...]      (default: 60 seconds, every target)
#
# Works on a stable toolchain: cargo-fuzz passes `-Z` flags to rustc, which stable
# accepts with RUSTC_BOOTSTRAP=1. Set FUZZ_SANITIZER=none to build without AddressSanitizer
# (faster; the code under test has no `unsafe`). Seeds come from the Markdown files of
# tests/fixtures and scaffold/; crashes land in fuzz/artifacts/<target>/, logs in
# fuzz/logs/<target>.log.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(frontmatter markdown)
fi
sanitizer="${FUZZ_SANITIZER:-address}"
export RUSTC_BOOTSTRAP=1
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

# Seeds. The first byte of a frontmatter input picks the kind (0 incident, 1 group,
# 2 actor, 3 statement, 4 page); that of a markdown input holds render flags.
kind_byte() {
  case "$1" in
    */incidents/*) printf '\000' ;;
    */groups/*) printf '\001' ;;
    */actors/*) printf '\002' ;;
    */statements/*) printf '\003' ;;
    *) printf '\004' ;;
  esac
}
mkdir -p corpus/frontmatter corpus/markdown logs
if [ -z "$(ls -A corpus/frontmatter)" ] || [ -z "$(ls -A corpus/markdown)" ]; then
  n=0
  while IFS= read -r -d '' file; do
    n=$((n + 1))
    { kind_byte "$file"; cat "$file"; } > "corpus/frontmatter/seed-$n"
    { printf '\003'; cat "$file"; } > "corpus/markdown/seed-$n"
  done < <(find ../tests/fixtures ../scaffold -name '*.md' -print0 | sort -z)
fi

status=0
for target in "${targets[@]}"; do
  echo "== $target: ${seconds}s, sanitizer $sanitizer"
  log="logs/$target.log"
  if cargo fuzz run --release --sanitizer "$sanitizer" "$target" "corpus/$target" -- \
      -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 >"$log" 2>&1; then
    result="no crash"
  else
    result="CRASH or error (see $log and artifacts/$target/)"
    status=1
  fi
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo '?')
  corpus=$(ls corpus/"$target" | wc -l)
  echo "   executions: $runs, corpus: $corpus inputs, result: $result"
done
exit $status
