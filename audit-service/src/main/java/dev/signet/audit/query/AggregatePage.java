package dev.signet.audit.query;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

@Schema(description = "Aggregates in ascending bucket order.")
record AggregatePage(
    String granularity,
    Instant from,
    Instant to,
    List<AggregateBucket> items,
    @Schema(description = "True when more rows matched than were returned (max 5000)")
        boolean truncated) {}
