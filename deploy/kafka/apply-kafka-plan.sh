#!/usr/bin/env bash
# Applies Signet's Kafka plan to the broker in this container, as the admin super user, once the broker answers:
#   1. the SCRAM password of every principal (from the SIGNET_KAFKA_<PRINCIPAL>_PASSWORD variables),
#   2. the ACLs of acls.conf (grouped into one kafka-acls call per principal, operation and resource kind),
#   3. every missing topic and dead-letter topic of topics.conf with its partition count and retention,
# then writes the marker file the container's health check requires. Steps 1 and 2 are skipped when neither the
# plan nor a password changed since they were last applied to this data volume. Existing topics are left as they
# are, and so are ACLs the plan no longer grants (changing a live topic or withdrawing a grant is an operator
# decision: docs/operations.md).
#
# In a cluster (docker-compose.cluster.yml) one broker applies the plan; the others run with
# SIGNET_KAFKA_PLAN_APPLY=false and only wait until they answer. Topics are created with
# SIGNET_KAFKA_REPLICATION_FACTOR replicas and SIGNET_KAFKA_MIN_INSYNC_REPLICAS (both 1 on a single broker); a
# creation that fails because fewer brokers than replicas have joined yet is retried until they have.
set -euo pipefail

acls=${SIGNET_ACL_PLAN:-/signet/acls.conf}
plan=${SIGNET_TOPIC_PLAN:-/signet/topics.conf}
marker=${SIGNET_KAFKA_PLAN_MARKER:-/tmp/signet-kafka-plan-applied}
bootstrap=${SIGNET_KAFKA_PLAN_BOOTSTRAP:-kafka:9092}
admin_config=${SIGNET_KAFKA_ADMIN_CONFIG:-/tmp/signet-admin.properties}
applied=${SIGNET_KAFKA_PLAN_STATE:-${KAFKA_LOG_DIRS:-/var/lib/kafka/data}/signet-access-plan.sha256}
dead_letter_retention_ms=2592000000
apply_plan=${SIGNET_KAFKA_PLAN_APPLY:-true}
replication_factor=${SIGNET_KAFKA_REPLICATION_FACTOR:-1}
min_insync_replicas=${SIGNET_KAFKA_MIN_INSYNC_REPLICAS:-1}
create_retry_seconds=${SIGNET_KAFKA_PLAN_RETRY_SECONDS:-5}
bin=${KAFKA_HOME:-/opt/kafka}/bin
# The admin tools are short-lived JVMs: keep them small next to the broker's own heap.
export KAFKA_HEAP_OPTS="-Xmx64m"

# principal -> variable holding its password
declare -A passwords=(
  [challenge-service]=SIGNET_KAFKA_CHALLENGE_SERVICE_PASSWORD
  [rules-service]=SIGNET_KAFKA_RULES_SERVICE_PASSWORD
  [sms-dispatcher]=SIGNET_KAFKA_SMS_DISPATCHER_PASSWORD
  [audit-service]=SIGNET_KAFKA_AUDIT_SERVICE_PASSWORD
  [schema-registry]=SIGNET_KAFKA_SCHEMA_REGISTRY_PASSWORD
  [external-consumer]=SIGNET_KAFKA_EXTERNAL_CONSUMER_PASSWORD
)

log() { echo "[signet-kafka-plan] $*"; }

rm -f "${marker}"

until existing=$("${bin}/kafka-topics.sh" --bootstrap-server "${bootstrap}" --command-config "${admin_config}" \
  --list 2> /dev/null); do
  sleep 2
done

if [[ "${apply_plan}" == "false" ]]; then
  touch "${marker}"
  log "broker answers; the plan is applied by another broker of the cluster"
  exit 0
fi
if ! [[ "${replication_factor}" =~ ^[1-9][0-9]*$ && "${min_insync_replicas}" =~ ^[1-9][0-9]*$ ]] \
  || ((min_insync_replicas > replication_factor)); then
  log "SIGNET_KAFKA_REPLICATION_FACTOR (${replication_factor}) and SIGNET_KAFKA_MIN_INSYNC_REPLICAS" \
    "(${min_insync_replicas}) must be positive numbers, the second not above the first: plan not applied"
  exit 1
fi

# What steps 1 and 2 depend on: the access plan and every password (hashed, never stored in clear).
state=$( { cat "${acls}"; for user in "${!passwords[@]}"; do
  var=${passwords[${user}]}; printf '%s=%s\n' "${user}" "${!var:-}"; done | sort; } | sha256sum | cut -d' ' -f1)

if [[ -f "${applied}" && "$(cat "${applied}")" == "${state}" ]]; then
  log "users and ACLs unchanged since they were last applied"
else
  for user in "${!passwords[@]}"; do
    var=${passwords[${user}]}
    password=${!var:-}
    if [[ -z "${password}" ]]; then
      log "no password for ${user} (${var}): user not created"
      continue
    fi
    "${bin}/kafka-configs.sh" --bootstrap-server "${bootstrap}" --command-config "${admin_config}" --alter \
      --entity-type users --entity-name "${user}" \
      --add-config "SCRAM-SHA-512=[iterations=4096,password=${password}]" > /dev/null
    log "SCRAM-SHA-512 credential of ${user} set"
  done

  # One kafka-acls call per principal, operation, resource kind and pattern, with every name of that group.
  while IFS=$'\t' read -r key names; do
    read -r principal operation resource pattern <<< "${key}"
    args=()
    for name in ${names}; do
      args+=("--${resource}" "${name}")
    done
    "${bin}/kafka-acls.sh" --bootstrap-server "${bootstrap}" --command-config "${admin_config}" --add --force \
      --allow-principal "User:${principal}" --operation "${operation}" \
      --resource-pattern-type "${pattern}" "${args[@]}" > /dev/null
    log "ACL ${principal}: ${operation} on ${pattern} ${resource} ${names}"
  done < <(awk '!/^[[:space:]]*(#|$)/ { key = $1 " " $2 " " $3 " " $4;
      names[key] = names[key] " " $5; if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
      END { for (i = 1; i <= n; i++) printf "%s\t%s\n", order[i], names[order[i]] }' "${acls}")
  echo "${state}" > "${applied}"
fi

create() { # topic partitions cleanup retention.ms
  local topic=$1 partitions=$2 cleanup=$3 retention=$4
  if grep -qxF "${topic}" <<< "${existing}"; then
    return
  fi
  local configs=(--config "cleanup.policy=${cleanup}" --config "min.insync.replicas=${min_insync_replicas}")
  if [[ "${retention}" != "-" ]]; then
    configs+=(--config "retention.ms=${retention}")
  fi
  # Until enough brokers have registered, the broker refuses the replication factor: wait for them.
  until "${bin}/kafka-topics.sh" --bootstrap-server "${bootstrap}" --command-config "${admin_config}" --create \
    --if-not-exists --topic "${topic}" --partitions "${partitions}" \
    --replication-factor "${replication_factor}" "${configs[@]}" > /dev/null; do
    log "creating ${topic} failed (brokers still joining?): retrying in ${create_retry_seconds} s"
    sleep "${create_retry_seconds}"
  done
  log "created ${topic} (${partitions} partitions, ${replication_factor} replicas, min ISR ${min_insync_replicas}," \
    "cleanup ${cleanup}, retention.ms ${retention})"
}

while read -r topic partitions cleanup retention dead_letter; do
  [[ -z "${topic}" || "${topic}" == \#* ]] && continue
  create "${topic}" "${partitions}" "${cleanup}" "${retention}"
  if [[ "${dead_letter}" == "yes" ]]; then
    create "${topic}.dlt" "${partitions}" delete "${dead_letter_retention_ms}"
  fi
done < "${plan}"

touch "${marker}"
log "Kafka plan applied"
