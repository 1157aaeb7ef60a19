package dev.signet.audit.view;

/** Names of the view collections (one database per service: {@code signet-audit-service}). */
public final class ViewCollections {

  /** One document per recorded activity: the user timeline, and the audit topic's outbox. */
  public static final String ACTIVITIES = "activities";

  /** One document per challenge: request, sends, receipts and verification joined. */
  public static final String CHALLENGES = "challenges";

  /** One document per tracked action (user id, action code, idempotency key). */
  public static final String ACTIONS = "actions";

  /** One document per time bucket, country and action code. */
  public static final String AGGREGATES = "aggregates";

  private ViewCollections() {}
}
