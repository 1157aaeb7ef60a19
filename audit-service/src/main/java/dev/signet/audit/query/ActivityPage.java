package dev.signet.audit.query;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

@Schema(description = "A page of activities, newest first.")
record ActivityPage(
    List<ActivityItem> items,
    @Schema(description = "Pass as 'cursor' for the next page; null on the last page")
        String nextCursor,
    int limit) {}
