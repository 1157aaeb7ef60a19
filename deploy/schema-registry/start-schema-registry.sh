#!/usr/bin/env bash
# Starts Confluent's schema registry behind HTTP Basic authentication: writes the JAAS file and the one-user
# password file (the writer, from SIGNET_SCHEMA_REGISTRY_WRITER_PASSWORD) into the container's /tmp, owner-only,
# then runs the image's own launcher. Confluent's community registry authenticates every request, reads
# included, and does not tell roles apart: whoever has the credential may read and write (docs/security.md).
set -euo pipefail
umask 077
: "${SIGNET_SCHEMA_REGISTRY_WRITER_PASSWORD:?set SIGNET_SCHEMA_REGISTRY_WRITER_PASSWORD}"

# Jetty 12 (Confluent Platform 8) moved the login module out of jetty-jaas into jetty-security.
module=org.eclipse.jetty.security.jaas.spi.PropertyFileLoginModule
if compgen -G "/usr/share/java/*/jetty-jaas-*.jar" > /dev/null; then
  module=org.eclipse.jetty.jaas.spi.PropertyFileLoginModule
fi

printf '%s: %s,writer\n' "${SIGNET_SCHEMA_REGISTRY_WRITER_USERNAME:-schema-writer}" \
  "${SIGNET_SCHEMA_REGISTRY_WRITER_PASSWORD}" > /tmp/signet-registry-users.properties
cat > /tmp/signet-registry-jaas.conf <<JAAS
SchemaRegistry {
  ${module} required
  file="/tmp/signet-registry-users.properties"
  debug="false";
};
JAAS

export SCHEMA_REGISTRY_OPTS="${SCHEMA_REGISTRY_OPTS:-} -Djava.security.auth.login.config=/tmp/signet-registry-jaas.conf"
exec /etc/confluent/docker/run
