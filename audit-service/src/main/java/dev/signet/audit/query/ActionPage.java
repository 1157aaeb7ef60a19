package dev.signet.audit.query;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

@Schema(description = "A page of actions, newest first.")
record ActionPage(List<ActionView> items, String nextCursor, int limit) {}
