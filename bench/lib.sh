# bench/lib.sh -- helpers bench/run and bench/run-network share; sourced,
# not run.  The caller sets TMP (a scratch folder) and RUNS (how many
# times `best` runs a command) first.

# warn_stale BINARY ROOT: say on stderr when a source of ROOT's build is
# newer than BINARY, which then measures older code (`make test` builds
# the sanitizer binaries, not build/vigil; `make bench` builds it first).
warn_stale() {
	local newer
	[ -x "$1" ] || return 0
	newer=$(find "$2/src" "$2/Makefile" -type f -newer "$1" -print -quit 2>/dev/null)
	[ -z "$newer" ] || echo "warning: $1 is older than ${newer#"$2"/}: it measures older code (run make first)" >&2
}

# manifest DIR KEY: a value from a corpus's MANIFEST.
manifest() { sed -n "s/^$2=//p" "$1/MANIFEST"; }

# measure OUT CMD...: runs CMD with stdout to OUT and sets WALL (seconds)
# and RSS_MIB (peak resident set of the largest process, MiB).
if [ -x /usr/bin/time ]; then
	measure() {
		local out=$1 rc=0
		shift
		/usr/bin/time -f '%e %M' -o "$TMP/time" "$@" >"$out" || rc=$?
		# After a failure GNU time writes "Command exited with non-zero
		# status N" first: the numbers are on the last line.
		read -r WALL RSS_KB < <(tail -n 1 "$TMP/time")
		RSS_MIB=$(awk -v k="$RSS_KB" 'BEGIN { printf "%.1f", k / 1024 }')
		return $rc
	}
else
	echo "note: /usr/bin/time not found (Debian: apt-get install -y time); sampling /proc for peak RSS" >&2
	measure() {
		local out=$1 rc=0 pid peak=0 hwm t0
		shift
		t0=$(date +%s.%N)
		"$@" >"$out" &
		pid=$!
		# VmHWM of every process in the job, sampled: a lower bound.
		while kill -0 "$pid" 2>/dev/null; do
			for p in $pid $(pgrep -P "$pid" 2>/dev/null) $(pgrep -g "$pid" 2>/dev/null); do
				hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$p/status" 2>/dev/null || true)
				[ -n "$hwm" ] && [ "$hwm" -gt "$peak" ] && peak=$hwm
			done
			sleep 0.05
		done
		wait "$pid" || rc=$?
		WALL=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
		RSS_MIB=$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')
		return $rc
	}
fi

# best OUT CMD...: measure RUNS times; WALL is the fastest run, RSS_MIB the
# largest peak.  Warm page cache for every tool: the corpus was just read
# or written.
best() {
	local w=999999 m=0 i
	for ((i = 0; i < RUNS; i++)); do
		measure "$@" || return $?
		w=$(awk -v a="$w" -v b="$WALL" 'BEGIN { print (b < a ? b : a) }')
		m=$(awk -v a="$m" -v b="$RSS_MIB" 'BEGIN { print (b > a ? b : a) }')
	done
	WALL=$w
	RSS_MIB=$m
}
