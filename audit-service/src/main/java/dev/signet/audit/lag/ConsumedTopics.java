package dev.signet.audit.lag;

import dev.signet.events.Topics;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The topics audit-service builds views from: every catalogue topic naming it a consumer except its
 * own audit topic, which only the webhooks read.
 */
@Component("auditConsumedTopics")
public class ConsumedTopics {

  public static final String SERVICE = "audit-service";

  private final List<String> names =
      Topics.all().stream()
          .filter(t -> t.consumers().contains(SERVICE) && t != Topics.AUDIT_ACTIVITY)
          .map(Topics.Topic::name)
          .toList();

  public List<String> names() {
    return names;
  }

  /** For {@code @KafkaListener(topics = "#{@auditConsumedTopics.array()}")}. */
  public String[] array() {
    return names.toArray(String[]::new);
  }
}
