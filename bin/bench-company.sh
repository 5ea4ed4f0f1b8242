# Sourced by the benchmark scripts: the generated company they share, made once per size and format.
#   bench_company <customers> <years> <format> <data dir>   -> prints the company folder
bench_company() {
  local customers="$1" years="$2" fmt="$3" data="$4"
  local company="$data/company-$customers-$years-$fmt"
  if [[ ! -d "$company/sales" ]]; then
    echo "== generate $customers customers, $years years, $fmt" >&2
    local start
    start=$(date +%s.%N)
    "$HOME_DIR/bin/crm-analytics" generate --customers "$customers" --years "$years" --seed 42 \
      --format "$fmt" --out "$company.tmp" >&2
    mv "$company.tmp" "$company"
    echo "generation: $(echo "$(date +%s.%N) - $start" | bc) s" | tee "$company.generation.txt" >&2
  fi
  echo "$company"
}
