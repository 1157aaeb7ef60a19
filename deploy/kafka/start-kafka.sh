#!/usr/bin/env bash
# Starts the broker with the image's own launcher and applies Signet's Kafka plan in the background once it
# answers: the SCRAM users, the ACLs of acls.conf and the topics of topics.conf (apply-kafka-plan.sh). The health
# check passes only after the plan has been applied, so services never start before their topics and
# permissions exist.
#
# Every listener authenticates (SASL), and SCRAM credentials live in the metadata log: the admin super user the
# plan is applied with must exist before the broker starts, so the log dir is formatted here, with that user,
# before the image's launcher (which then finds it formatted and goes on).
set -euo pipefail
rm -f /tmp/signet-kafka-plan-applied
umask 077

: "${SIGNET_KAFKA_ADMIN_PASSWORD:?set SIGNET_KAFKA_ADMIN_PASSWORD}"
kafka_home=${KAFKA_HOME:-/opt/kafka}

# The admin's client settings for the plan script and the health check (owner-only, in the container's /tmp).
cat > /tmp/signet-admin.properties <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${SIGNET_KAFKA_ADMIN_PASSWORD}";
PROPERTIES

# The broker configuration as the image's launcher derives it from the KAFKA_* variables (KAFKA_ removed,
# lower case, ___ -> -, __ -> _, _ -> .), which the storage tool needs to format the log dir.
format_config=/tmp/signet-format.properties
: > "${format_config}"
for name in $(compgen -e | grep '^KAFKA_' || true); do
  case "${name}" in
    KAFKA_HOME | KAFKA_VERSION | KAFKA_HEAP_OPTS | KAFKA_OPTS | KAFKA_JVM_PERFORMANCE_OPTS | KAFKA_GC_LOG_OPTS \
      | KAFKA_LOG4J_OPTS | KAFKA_LOG4J_LOGGERS | KAFKA_LOG4J_ROOT_LOGLEVEL | KAFKA_TOOLS_LOG4J_LOGLEVEL \
      | KAFKA_JMX_OPTS | KAFKA_JMX_PORT | KAFKA_JMX_HOSTNAME) continue ;;
  esac
  key=${name#KAFKA_}
  key=${key,,}
  key=${key//___/-}
  key=${key//__/@}
  key=${key//_/.}
  key=${key//@/_}
  printf '%s=%s\n' "${key}" "${!name}" >> "${format_config}"
done

if [[ ! -f "${KAFKA_LOG_DIRS:-/var/lib/kafka/data}/meta.properties" ]]; then
  echo "[signet-kafka-plan] formatting the log dir with the admin SCRAM user"
  KAFKA_HEAP_OPTS="-Xmx256m" "${kafka_home}/bin/kafka-storage.sh" format --cluster-id "${CLUSTER_ID}" \
    --config "${format_config}" --ignore-formatted \
    --add-scram "SCRAM-SHA-512=[name=admin,password=${SIGNET_KAFKA_ADMIN_PASSWORD}]"
fi
rm -f "${format_config}"

bash "$(dirname "$0")/apply-kafka-plan.sh" &
# SIGNET_KAFKA_LAUNCHER: another launcher, to try these scripts against a broker outside the image.
exec "${SIGNET_KAFKA_LAUNCHER:-/etc/kafka/docker/run}"
