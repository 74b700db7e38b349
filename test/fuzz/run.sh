#!/bin/sh
# test/fuzz/run.sh - run libFuzzer harnesses for a fixed time each (used by
# the fuzz-ci and fuzz targets of test/fuzz/fuzz.mk; run it from the
# repository root).
#
#   sh test/fuzz/run.sh SECONDS HARNESS...
#
# For each harness: copy test/fuzz/corpus/HARNESS/ to test/fuzz/work/HARNESS/
# (new inputs go there, never into the committed corpus), run
# test/fuzz/build/HARNESS for SECONDS with artifacts going to
# test/fuzz/artifacts/HARNESS/, and print one line.  On a finding (crash,
# failed property, leak, UB, timeout, out of memory) print the artifact path,
# a hex dump of it, the end of the log and the command that reproduces it.
# Exits 1 if there was any finding.
#
# Environment (set by fuzz.mk): FUZZ_DIR (default test/fuzz), FUZZ_MAX_LEN,
# FUZZ_TIMEOUT, FUZZ_RSS_MB, FUZZ_EXTRA_ARGS.

set -u

if [ $# -lt 2 ]; then
	echo "usage: $0 SECONDS HARNESS..." >&2
	exit 2
fi
seconds=$1
shift

dir=${FUZZ_DIR:-test/fuzz}
max_len=${FUZZ_MAX_LEN:-4096}
timeout=${FUZZ_TIMEOUT:-10}
rss_mb=${FUZZ_RSS_MB:-2048}
extra=${FUZZ_EXTRA_ARGS:-}

hexdump_file() {
	if command -v xxd >/dev/null 2>&1; then
		xxd -l 1024 "$1"
	else
		od -A x -t x1z -N 1024 "$1"
	fi
	size=$(wc -c < "$1" | tr -d ' ')
	[ "$size" -gt 1024 ] && echo "    ... ($size bytes, first 1024 shown)"
	return 0
}

nharness=0
findings=0
summary=""

for h in "$@"; do
	nharness=$((nharness + 1))
	bin=$dir/build/$h
	work=$dir/work/$h
	art=$dir/artifacts/$h
	log=$dir/work/$h.log

	rm -rf "$work"
	mkdir -p "$work" "$art"
	if [ -d "$dir/corpus/$h" ]; then
		cp -R "$dir/corpus/$h/." "$work/"
	else
		echo "$h: warning: no seed corpus $dir/corpus/$h" >&2
	fi
	dict=
	[ -f "$dir/$h.dict" ] && dict="-dict=$dir/$h.dict"

	before=$(ls "$art")
	echo "$h: fuzzing for $seconds s (log: $log)"
	start=$(date +%s)
	# shellcheck disable=SC2086  # $dict and $extra are word lists
	"$bin" -max_total_time="$seconds" -max_len="$max_len" -timeout="$timeout" \
		-rss_limit_mb="$rss_mb" -artifact_prefix="$art/" -print_final_stats=1 \
		$dict $extra "$work" > "$log" 2>&1
	rc=$?
	elapsed=$(( $(date +%s) - start ))

	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ -z "$runs" ]; then
		# no final stats (the run stopped on a finding): last status line
		runs=$(sed -n 's/^#\([0-9][0-9]*\)[[:space:]].*/\1/p' "$log" | tail -n 1)
	fi
	runs=${runs:-0}
	ncorpus=$(find "$work" -type f | wc -l | tr -d ' ')

	new=
	for f in "$art"/*; do
		[ -e "$f" ] || continue
		f=${f##*/}
		case "
$before
" in
			*"
$f
"*) ;;
			*) new="$new $f" ;;
		esac
	done

	if [ "$rc" -eq 0 ] && [ -z "$new" ]; then
		line="$h: OK, $runs runs in $elapsed s, corpus $ncorpus inputs"
		echo "$line"
	else
		nnew=0
		for f in $new; do nnew=$((nnew + 1)); done
		if [ "$nnew" -eq 0 ]; then
			# e.g. a failed start-up check (LLVMFuzzerInitialize)
			nnew=1
			line="$h: FAILED (exit $rc) without an artifact, $runs runs in $elapsed s; see $log"
		else
			line="$h: FAILED (exit $rc), $runs runs in $elapsed s, $nnew finding(s); reproduce: $bin <artifact>"
		fi
		findings=$((findings + nnew))
		echo "$line"
		echo "---- end of $log:"
		# from the first report line (sanitizer or failed property) on
		report=$(awk '/^==[0-9]+==|^\*\*\* fuzz property|runtime error:|deadly signal|^ALARM/ { on = 1 } on' "$log" \
			| grep -v '^#[0-9]' | head -n 80)
		if [ -n "$report" ]; then
			printf '%s\n' "$report"
		else
			tail -n 30 "$log"
		fi
		for f in $new; do
			echo "---- artifact: $art/$f"
			hexdump_file "$art/$f"
			echo "---- reproduce: $bin $art/$f"
		done
	fi
	summary="$summary$line
"
done

echo "----"
printf '%s' "$summary"
[ "$nharness" -eq 1 ] && hs=harness || hs=harnesses
[ "$findings" -eq 1 ] && fs=finding || fs=findings
echo "fuzz: $nharness $hs, $findings $fs"
[ "$findings" -eq 0 ]
