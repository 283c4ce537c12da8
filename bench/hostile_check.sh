#!/usr/bin/env bash
# Black-box checks of the release binary against hostile and unlucky inputs (issue 10).
# Each case runs under `timeout` with its bound and checks the exit status and the output.
#
#   bench/hostile_check.sh [path/to/reprint]      (default: target/release/reprint)
#
# Prints one line per case (PASS/FAIL, seconds, what was checked) and exits 1 if any failed.
# Needs bash, coreutils (timeout, mkfifo), python3. Writes only to a temporary directory.
set -uo pipefail
cd "$(dirname "$0")/.."
R="$(realpath "${1:-target/release/reprint}")"
[ -x "$R" ] || { echo "no binary at $R (cargo build --release -p reprint-cli)"; exit 2; }
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
ART="$PWD/crates/reprint/tests/fixtures/harbour_source.txt"
REW="$PWD/crates/reprint/tests/fixtures/harbour_rewrite.txt"
failed=0

# run NAME BOUND EXPECTED_STATUS CHECK -- COMMAND...: runs COMMAND with the time bound,
# then CHECK (a shell snippet; $status, $secs, $W/out.txt, $W/err.txt are set).
run() {
  local name="$1" bound="$2" want="$3" check="$4"
  shift 5
  local t0 t1
  t0=$(date +%s.%N)
  timeout -s KILL "$bound" "$@" >"$W/out.txt" 2>"$W/err.txt"
  status=$?
  t1=$(date +%s.%N)
  secs=$(python3 -c "print(f'{$t1-$t0:.2f}')")
  local ok=1 why="exit $status (want $want), ${secs} s (bound $bound s)"
  [ "$status" = 137 ] && why="killed at the $bound s bound" && ok=0
  [ "$status" != "$want" ] && ok=0
  if [ $ok = 1 ] && ! eval "$check"; then ok=0; why="$why; check failed: $check"; fi
  if [ $ok = 1 ]; then echo "PASS  $name: $why"; else echo "FAIL  $name: $why"; sed 's/^/      /' "$W/err.txt" | head -5; failed=1; fi
}

docs() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['documents'])" "$1/summary.json"; }
skipped() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['skipped'])" "$1/summary.json"; }

# 1. A directory of symlink loops (three links to '.', one to '..' below).
mkdir -p "$W/L/sub"; cp "$ART" "$W/L/a.txt"; cp "$REW" "$W/L/sub/b.txt"
for i in 1 2 3; do ln -s . "$W/L/l$i"; done; ln -s .. "$W/L/sub/loop"
run "symlink loops: finishes, the other files scanned" 60 0 '[ "$(docs $W/o1)" = 2 ]' -- \
  "$R" scan "$W/L" --out "$W/o1" -q

# 2. A FIFO named *.txt and a dangling link: both skipped, the rest scanned, exit 3.
mkfifo "$W/L/pipe.txt"; ln -s /no/such/target.txt "$W/L/dangling.txt"
run "FIFO + dangling link: skipped, rest scanned, exit 3" 60 3 \
  '[ "$(docs $W/o2)" = 2 ] && [ "$(skipped $W/o2)" = 2 ]' -- "$R" scan "$W/L" --out "$W/o2" -q

# 3. A failed scan, and a killed one, into an old output directory.
python3 - "$W" <<'EOF'
import sys
w = sys.argv[1]
with open(f"{w}/small.jsonl", "w") as f:
    for i in range(40):
        f.write('{"id":"s%d","text":"The harbour board met on day %d and voted %d to %d on route %d."}\n' % (i, i % 31, i * 7 % 13, i * 11 % 17, i * 7919 % 10007))
with open(f"{w}/big.jsonl", "w") as f:
    for i in range(400000):
        f.write('{"id":"b%d","text":"Item %d: the council met on day %d and voted %d to %d on the budget for district %d."}\n' % (i, i, i % 31, i * 7 % 13, i * 11 % 17, i * 7919 % 10007))
EOF
"$R" scan "$W/small.jsonl" --out "$W/o3" -q
cp "$W/o3/summary.json" "$W/old-summary.json"; cp "$W/o3/pairs.jsonl" "$W/old-pairs.jsonl"
same_old() { cmp -s "$W/o3/summary.json" "$W/old-summary.json" && cmp -s "$W/o3/pairs.jsonl" "$W/old-pairs.jsonl" && [ -f "$W/o3/INCOMPLETE" ]; }
run "failed scan into an old directory: old result intact, marked unfinished" 60 2 'same_old' -- \
  "$R" scan "$W/small.jsonl" "$W/missing.jsonl" --out "$W/o3" -q
for sig in INT TERM KILL; do
  "$R" scan "$W/big.jsonl" --out "$W/o3" -q 2>"$W/err.txt" &
  pid=$!; sleep 1.5; kill -s "$sig" "$pid"; wait "$pid"; status=$?
  if same_old && ! ls "$W/o3" | grep -qv -e '^pairs.jsonl$' -e '^clusters.jsonl$' -e '^summary.json$' -e '^INCOMPLETE$' -e '\.partial$'; then
    echo "PASS  SIG$sig during a scan: exit $status, old result intact, INCOMPLETE marker; $(head -c 160 "$W/err.txt" | tr '\n' ' ')"
  else echo "FAIL  SIG$sig during a scan: exit $status"; ls -la "$W/o3"; failed=1; fi
done

# 4. ESC/OSC/BEL bytes in a text and in a file name: none of them raw on the terminal.
EVIL="$W/$(printf 'x\033]0;PWNED\007.txt')"
{ printf '\033]0;PWNED\007\033[2J '; cat "$ART"; printf ' \033[2J'; } >"$EVIL"
no_raw_escape() { ! grep -q "$(printf '[\033\007]')" "$W/out.txt" "$W/err.txt" && grep -q 'x1b]0;PWNED' "$W/out.txt"; }
run "ESC bytes in a text and a file name: none raw in the report" 30 0 'no_raw_escape' -- \
  "$R" compare "$EVIL" "$REW"

# 5. An impossible date.
run "--date-a 2024-13-45: refused" 10 2 'grep -q -- "--date-a" "$W/err.txt"' -- \
  "$R" compare "$ART" "$REW" --date-a 2024-13-45 --date-b 2024-01-02

# 6. --threads 100000.
head -9 "$W/small.jsonl" >"$W/nine.jsonl"
run "--threads 100000: bounded" 30 0 'grep -q capped "$W/err.txt"' -- \
  "$R" scan "$W/nine.jsonl" --out "$W/o6" --threads 100000 -q

# 7. A JSONL with a BOM and an invalid byte: all 3 records read.
printf '\xef\xbb\xbf{"id":"one","text":"The first record."}\n{"id":"two","text":"The caf\xe9 record."}\n{"id":123456789012345678901234567890,"text":"The third record."}\n' >"$W/bom.jsonl"
run "JSONL with a BOM and an invalid byte: all 3 records read" 30 0 '[ "$(docs $W/o7)" = 3 ]' -- \
  "$R" scan "$W/bom.jsonl" --out "$W/o7" -q

# 8. One 20 MB line without a newline against an article.
python3 - "$W/line20.txt" "$ART" <<'EOF'
import random, sys
random.seed(7)
words = open(sys.argv[2]).read().split()
out, size = [], 0
while size < 20_000_000:
    s = " ".join(random.choice(words) for _ in range(random.randint(8, 25))).rstrip(".") + ". "
    out.append(s); size += len(s)
open(sys.argv[1], "w").write("".join(out)[:20_000_000])
EOF
run "a 20 MB single line against an article: <= 15 s" 15 0 'true' -- "$R" compare "$W/line20.txt" "$ART"

# 9. /dev/zero against an article.
if [ -x /usr/bin/time ]; then
  small_rss() { kb=$(grep -o 'maxrss_kb [0-9]*' "$W/err.txt" | cut -d' ' -f2); echo "      peak RSS ${kb} KB"; [ "$kb" -lt 1000000 ]; }
  run "/dev/zero against an article: refused, exit 2, under 1 GB" 30 2 \
    'grep -q -- "--max-bytes" "$W/err.txt" && small_rss' -- /usr/bin/time -f 'maxrss_kb %M' "$R" compare /dev/zero "$ART"
else
  run "/dev/zero against an article: refused, exit 2" 30 2 \
    'grep -q -- "--max-bytes" "$W/err.txt"' -- "$R" compare /dev/zero "$ART"
fi

exit $failed
