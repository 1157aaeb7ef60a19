package dev.signet.audit.query;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

@Schema(description = "How far behind the views are.")
record LagReport(
    Instant generatedAt,
    List<TopicLagItem> topics,
    @Schema(
            description =
                "Kafka record timestamp to view written, last minute: count, p50Millis,"
                    + " p95Millis, p99Millis, maxMillis")
        Map<String, Object> viewLag,
    long pendingPublications,
    boolean aggregatesUpToDate) {}
