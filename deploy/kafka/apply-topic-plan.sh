#!/usr/bin/env bash
# Applies Signet's topic plan (topics.conf) to the broker in this container: waits until the broker answers,
# creates every missing topic and dead-letter topic with its partition count and retention, then writes the
# marker file the container's health check requires. Existing topics are left as they are (changing retention or
# adding partitions to a live topic is an operator decision: docs/operations.md).
set -euo pipefail

plan=${SIGNET_TOPIC_PLAN:-/signet/topics.conf}
marker=${SIGNET_TOPIC_PLAN_MARKER:-/tmp/signet-topic-plan-applied}
bootstrap=${SIGNET_TOPIC_PLAN_BOOTSTRAP:-kafka:9092}
dead_letter_retention_ms=2592000000
topics_tool=${KAFKA_HOME:-/opt/kafka}/bin/kafka-topics.sh
# The admin tools are short-lived JVMs: keep them small next to the broker's own heap.
export KAFKA_HEAP_OPTS="-Xmx64m"

log() { echo "[signet-topic-plan] $*"; }

rm -f "${marker}"

until existing=$("${topics_tool}" --bootstrap-server "${bootstrap}" --list 2> /dev/null); do
  sleep 2
done

create() { # topic partitions cleanup retention.ms
  local topic=$1 partitions=$2 cleanup=$3 retention=$4
  if grep -qxF "${topic}" <<< "${existing}"; then
    return
  fi
  local configs=(--config "cleanup.policy=${cleanup}")
  if [[ "${retention}" != "-" ]]; then
    configs+=(--config "retention.ms=${retention}")
  fi
  "${topics_tool}" --bootstrap-server "${bootstrap}" --create --if-not-exists --topic "${topic}" \
    --partitions "${partitions}" --replication-factor 1 "${configs[@]}" > /dev/null
  log "created ${topic} (${partitions} partitions, cleanup ${cleanup}, retention.ms ${retention})"
}

while read -r topic partitions cleanup retention dead_letter; do
  [[ -z "${topic}" || "${topic}" == \#* ]] && continue
  create "${topic}" "${partitions}" "${cleanup}" "${retention}"
  if [[ "${dead_letter}" == "yes" ]]; then
    create "${topic}.dlt" "${partitions}" delete "${dead_letter_retention_ms}"
  fi
done < "${plan}"

touch "${marker}"
log "topic plan applied"
