package dev.signet.audit.query;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

@Schema(description = "Lag of one consumed topic.")
record TopicLagItem(
    String topic,
    @Schema(description = "Records not yet applied (null until first measured)") Long consumerLag,
    @Schema(description = "Event time of the newest event applied") Instant newestEventAt,
    @Schema(description = "Seconds since newestEventAt") Double newestEventAgeSeconds,
    Instant lastAppliedAt,
    @Schema(description = "Records applied since this instance started") long applied) {}
