#!/usr/bin/env bash
# Starts MongoDB 7 as the single member of replica set "rs0" with authentication on.
#
# A replica set with authentication needs a key file for internal authentication, even with one member. The key
# comes from SIGNET_MONGODB_REPLICA_SET_KEY (never baked into an image or committed) and is written where only
# the mongodb user can read it, as mongod requires. The official image's entrypoint then creates the root user on
# the first start (it drops --replSet and --keyFile for that one-off phase) and execs mongod.
set -euo pipefail

: "${SIGNET_MONGODB_REPLICA_SET_KEY:?SIGNET_MONGODB_REPLICA_SET_KEY is required (openssl rand -base64 48)}"

key_file=/data/configdb/replica-set.key
umask 077
printf '%s' "${SIGNET_MONGODB_REPLICA_SET_KEY}" > "${key_file}"
chmod 400 "${key_file}"
chown mongodb:mongodb "${key_file}"

exec docker-entrypoint.sh mongod --replSet rs0 --bind_ip_all --keyFile "${key_file}" "$@"
