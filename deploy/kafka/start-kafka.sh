#!/usr/bin/env bash
# Starts the broker with the image's own launcher and applies the topic plan in the background once it answers.
# The health check passes only after the plan has been applied, so services never start before their topics exist.
set -euo pipefail
rm -f /tmp/signet-topic-plan-applied
bash /signet/apply-topic-plan.sh &
exec /etc/kafka/docker/run
