package dev.signet.audit.query;

import dev.signet.audit.lag.ViewLag;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

@Schema(description = "How far behind the views are.")
record LagReport(
    Instant generatedAt,
    List<TopicLagItem> topics,
    @Schema(
            description =
                "Kafka record timestamp to view written, last minute: count, p50Millis,"
                    + " p95Millis, p99Millis, maxMillis")
        ViewLag.ViewLagSummary viewLag,
    long pendingPublications,
    boolean aggregatesUpToDate) {}
