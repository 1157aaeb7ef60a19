package dev.signet.events.serde;

import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * How the registry subject of a record is named, matching Confluent's strategies of the same names,
 * so that Signet's serde and Confluent's serde register and look up the same subjects.
 */
public enum SubjectNameStrategy {
  /** {@code <topic>-key} / {@code <topic>-value}: one schema lineage per topic (the default). */
  TOPIC("io.confluent.kafka.serializers.subject.TopicNameStrategy") {
    @Override
    public String subjectName(String topic, boolean isKey, Schema schema) {
      return topic + (isKey ? "-key" : "-value");
    }
  },
  /** The record's full name: one lineage per record type, whatever the topic. */
  RECORD("io.confluent.kafka.serializers.subject.RecordNameStrategy") {
    @Override
    public String subjectName(String topic, boolean isKey, Schema schema) {
      return schema.getFullName();
    }
  },
  /** {@code <topic>-<record full name>}: one lineage per record type and topic. */
  TOPIC_RECORD("io.confluent.kafka.serializers.subject.TopicRecordNameStrategy") {
    @Override
    public String subjectName(String topic, boolean isKey, Schema schema) {
      return topic + "-" + schema.getFullName();
    }
  };

  private final String confluentClassName;

  SubjectNameStrategy(String confluentClassName) {
    this.confluentClassName = confluentClassName;
  }

  /** The subject for a record of this schema on this topic. */
  public abstract String subjectName(String topic, boolean isKey, Schema schema);

  /** Confluent's class name of the same strategy. */
  public String confluentClassName() {
    return confluentClassName;
  }

  /**
   * Parses a configured strategy: Confluent's class name (or the class itself), its simple name
   * ({@code TopicNameStrategy}), or a short name ({@code topic}, {@code record}, {@code
   * topic-record}, {@code TOPIC_RECORD}). {@code null} or blank gives {@link #TOPIC}.
   */
  public static SubjectNameStrategy parse(Object configured) {
    if (configured == null) {
      return TOPIC;
    }
    String value =
        configured instanceof Class<?> type ? type.getName() : configured.toString().trim();
    if (value.isEmpty()) {
      return TOPIC;
    }
    String simple = value.substring(value.lastIndexOf('.') + 1);
    String normalised = simple.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    return switch (normalised) {
      case "topicnamestrategy", "topic" -> TOPIC;
      case "recordnamestrategy", "record" -> RECORD;
      case "topicrecordnamestrategy", "topicrecord" -> TOPIC_RECORD;
      default ->
          throw new ConfigException(
              "Unknown subject name strategy '"
                  + value
                  + "'; use TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
    };
  }
}
