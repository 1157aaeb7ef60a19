package dev.signet.audit.query;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

@Schema(description = "A page of challenges, newest first.")
record ChallengePage(List<ChallengeView> items, String nextCursor, int limit) {}
