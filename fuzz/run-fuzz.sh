#!/usr/bin/env bash
# Fuzzes every Jazzer target of the fuzz module, one after another: Jazzer's JUnit integration fuzzes a single
# @FuzzTest per JVM, so each target is its own `mvn test -Dtest=Class#method` with JAZZER_FUZZ=1.
# A plain `mvn test`/`mvn verify` only replays the committed corpus; this script searches for new inputs.
#
#   fuzz/run-fuzz.sh                       every target, FUZZ_SECONDS (default 8) each: about 4 minutes,
#                                          over half of it Maven, JVM and Jazzer start-up (15-20 s a target)
#   FUZZ_SECONDS=600 fuzz/run-fuzz.sh Sql  only the targets whose name contains "Sql", 10 minutes each
#
# Environment:
#   FUZZ_SECONDS   seconds of fuzzing per target (passed as JAZZER_MAX_DURATION, which overrides the
#                  @FuzzTest maxDuration)
#   FUZZ_MVN       how to call Maven (default: mvn -B -q -o; drop -o where the dependencies are not downloaded yet)
#   FUZZ_PROJECTS  the reactor part to build (default: -pl fuzz -am, so remoting/broker-core/namesrv-core come
#                  from this checkout, compiled incrementally, and none of their tests run); "-pl fuzz" uses the
#                  jars installed in ~/.m2 instead
#
# Exits 1 when a target found something (or did not run). Jazzer stores each finding as crash-<sha1> (or
# timeout-/slow-unit-...) beside the seed corpus in fuzz/src/test/resources/<package>/<Class>Inputs/<method>/,
# where a plain `mvn test` then replays it: fix the bug, and keep the input under a descriptive name as a
# regression input (crash-* files are git-ignored). The corpus Jazzer grows is kept in fuzz/.cifuzz-corpus/
# (git-ignored), so repeated runs on one machine continue where the last one stopped. Logs: fuzz/target/fuzz-logs/.
set -uo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS="${FUZZ_SECONDS:-8}"
read -r -a MVN <<< "${FUZZ_MVN:-mvn -B -q -o}"
read -r -a PROJECTS <<< "${FUZZ_PROJECTS:--pl fuzz -am}"

TARGETS=(
  io.rocketcluster.fuzz.RemotingFrameFuzzTest#frameDecode
  io.rocketcluster.fuzz.RemotingFrameFuzzTest#nettyFrameDecoder
  io.rocketcluster.fuzz.MessagePropertiesFuzzTest#parseFormatRoundTrip
  io.rocketcluster.broker.processor.BatchBodyFuzzTest#decode
  io.rocketcluster.fuzz.SqlFilterFuzzTest#compileAndEvaluate
  io.rocketcluster.fuzz.RegisterBrokerBodyFuzzTest#plainBody
  io.rocketcluster.fuzz.RegisterBrokerBodyFuzzTest#compressedBody
  io.rocketcluster.fuzz.JsonBodyFuzzTest#decodeBody
  io.rocketcluster.broker.ha.HaStreamFuzzTest#slaveFrames
  io.rocketcluster.broker.ha.HaStreamFuzzTest#masterReports
  io.rocketcluster.broker.ha.HaHandshakeFuzzTest#masterReadsAHello
  io.rocketcluster.fuzz.AclFuzzTest#validateRequest
)

if ! [[ "$FUZZ_SECONDS" =~ ^[1-9][0-9]*$ ]]; then
  echo "FUZZ_SECONDS must be a positive number of seconds, not '$FUZZ_SECONDS'" >&2
  exit 2
fi

selected=()
for t in "${TARGETS[@]}"; do
  if [ $# -eq 0 ]; then
    selected+=("$t")
  else
    for want in "$@"; do
      if [[ "$t" == *"$want"* ]]; then
        selected+=("$t")
        break
      fi
    done
  fi
done
if [ ${#selected[@]} -eq 0 ]; then
  echo "no target matches: $*" >&2
  exit 2
fi

logs=fuzz/target/fuzz-logs
mkdir -p "$logs"
passed=0
failed=0
failures=()
started=$SECONDS
for t in "${selected[@]}"; do
  log="$logs/${t##*.}.log"
  log="${log//#/.}"
  before=$(find fuzz/src/test/resources -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'slow-unit-*' \
    -o -name 'oom-*' -o -name 'leak-*' \) | sort)
  t0=$SECONDS
  # an input that hangs is reported by libFuzzer after 10 s (junit-platform.properties); the outer limit only
  # guards against a wedged JVM
  JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${FUZZ_SECONDS}s" timeout --kill-after=30 $((FUZZ_SECONDS + 600)) \
    "${MVN[@]}" "${PROJECTS[@]}" test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1
  rc=$?
  after=$(find fuzz/src/test/resources -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'slow-unit-*' \
    -o -name 'oom-*' -o -name 'leak-*' \) | sort)
  found=$(comm -13 <(echo "$before") <(echo "$after") | sed '/^$/d')
  runs=$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1)
  if [ $rc -eq 0 ] && [ -z "$found" ] && [ -n "$runs" ]; then
    passed=$((passed + 1))
    echo "PASS $t ($((SECONDS - t0)) s: ${runs:-?})"
  else
    failed=$((failed + 1))
    failures+=("$t")
    echo "FAIL $t ($((SECONDS - t0)) s, exit $rc${runs:+, $runs}); log: $log"
    # the finding as Jazzer reports it (the first cause, the frames of the code under test), else Maven's error
    if grep -q 'FuzzTestFindingException' "$log"; then
      grep -m1 'FuzzTestFindingException' "$log"
      grep -A12 -m1 '^Caused by' "$log" | grep -v -E '^\s+at (java\.|jdk\.|com\.code_intelligence\.|org\.junit\.)'
    else
      tail -40 "$log"
    fi
    [ -n "$found" ] && echo "new finding(s):" && echo "$found" | sed 's/^/  /'
  fi
done

echo "fuzzed ${#selected[@]} target(s), ${FUZZ_SECONDS} s each, in $((SECONDS - started)) s"
for f in "${failures[@]+"${failures[@]}"}"; do
  echo "  failed: $f"
done
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
