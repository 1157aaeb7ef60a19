# Shared by the bench commands (sourced, not run): usage, Java check, and the builds they need.
# A command's usage is its own header comment, from the line after the shebang to the first line
# that is not a comment.

BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_STACK_MODULES="local-stack,schema-registry,sms-sandbox,challenge-service,sms-dispatcher,rules-service,audit-service"

# Prints the calling script's header comment and exits 0 when --help or -h is among the arguments.
bench_help() {
  local script="$1"
  shift
  for arg in "$@"; do
    if [[ "$arg" == "--help" || "$arg" == "-h" ]]; then
      sed -n '2,/^[^#]/{/^#/!d;s/^# \{0,1\}//;p}' "$script"
      exit 0
    fi
  done
}

bench_java() {
  BENCH_JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  if ! command -v "$BENCH_JAVA" >/dev/null 2>&1; then
    echo "bench: no java found; install JDK 17 or newer (or set JAVA_HOME)" >&2
    exit 2
  fi
  if ! command -v mvn >/dev/null 2>&1 && [[ ! -f "$BENCH_ROOT/bench/target/lib/.built" ]]; then
    echo "bench: mvn not found; install Maven 3.8.7+" >&2
    exit 2
  fi
}

# True (0) when the arguments name a running stack to measure, so no stack jars are needed.
bench_uses_running_stack() {
  for arg in "$@"; do
    [[ "$arg" == "--use-running-stack" ]] && return 0
  done
  return 1
}

# The stack's jars: built only when one is missing (never rebuilt under a running stack).
bench_build_stack() {
  local module
  for module in ${BENCH_STACK_MODULES//,/ }; do
    if ! compgen -G "$BENCH_ROOT/$module/target/$module-*.jar" >/dev/null; then
      echo "bench: building the stack: mvn -B -q -DskipTests package -pl $BENCH_STACK_MODULES -am"
      (cd "$BENCH_ROOT" && mvn -B -q -DskipTests package -pl "$BENCH_STACK_MODULES" -am)
      return
    fi
  done
}

# The harness: rebuilt when a source file is newer than its classes. -am builds the modules it uses
# (schemas, test-support) from this checkout, so nothing needs to be installed in the local Maven repository.
bench_build_harness() {
  local stamp="$BENCH_ROOT/bench/target/lib/.built"
  if [[ ! -f "$stamp" ]] \
    || [[ -n "$(find "$BENCH_ROOT/bench/src/main" "$BENCH_ROOT/bench/pom.xml" "$BENCH_ROOT/schemas/src/main" "$BENCH_ROOT/test-support/src/main" -newer "$stamp" -print -quit)" ]]; then
    echo "bench: building the harness: mvn -B -q -DskipTests package -pl bench -am"
    (cd "$BENCH_ROOT" && mvn -B -q -DskipTests package -pl bench -am)
    touch "$stamp"
  fi
}

# Runs a harness main class with the harness's class path (replaces the shell).
bench_exec() {
  local main="$1"
  shift
  cd "$BENCH_ROOT"
  exec "$BENCH_JAVA" -Xmx512m -XX:+UseSerialGC -Djava.awt.headless=true \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$BENCH_ROOT/bench/target/classes:$BENCH_ROOT/bench/target/lib/*" \
    "$main" "$@"
}
