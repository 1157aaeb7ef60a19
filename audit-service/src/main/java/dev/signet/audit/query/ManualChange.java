package dev.signet.audit.query;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

@Schema(
    description =
        "A state set by hand through the server API, outside the lifecycle, with the kind of"
            + " credential that set it.")
/** A response body of the query API (documented in OpenAPI and docs/audit-service.md). */
record ManualChange(
    String state,
    String previousState,
    @Schema(allowableValues = {"API_SECRET"}) String credentialKind,
    Instant at) {}
