package dev.signet.audit.query;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

@Schema(description = "A review decision on an action.")
record Review(String reviewedBy, String state, Instant at) {}
