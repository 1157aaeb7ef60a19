package dev.signet.audit.query;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;

@Schema(description = "One step of a challenge or action (one source event).")
record Step(
    String type,
    Instant at,
    String outcome,
    String summary,
    String activityId,
    Map<String, String> attributes) {}
