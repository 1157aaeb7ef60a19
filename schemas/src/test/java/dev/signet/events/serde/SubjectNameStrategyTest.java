package dev.signet.events.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.events.Topics;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubjectNameStrategyTest {

  private final Schema schema = Topics.CHALLENGE_REQUESTED.valueSchema();

  @ParameterizedTest
  @CsvSource({
    "io.confluent.kafka.serializers.subject.TopicNameStrategy, TOPIC",
    "io.confluent.kafka.serializers.subject.RecordNameStrategy, RECORD",
    "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy, TOPIC_RECORD",
    "TopicNameStrategy, TOPIC",
    "RecordNameStrategy, RECORD",
    "TopicRecordNameStrategy, TOPIC_RECORD",
    "topic, TOPIC",
    "record, RECORD",
    "topic-record, TOPIC_RECORD",
    "TOPIC_RECORD, TOPIC_RECORD",
  })
  void acceptsConfluentClassNamesAndShortNames(String configured, SubjectNameStrategy expected) {
    assertThat(SubjectNameStrategy.parse(configured)).isEqualTo(expected);
  }

  @Test
  void defaultsToTopicNameStrategy() {
    assertThat(SubjectNameStrategy.parse(null)).isEqualTo(SubjectNameStrategy.TOPIC);
    assertThat(SubjectNameStrategy.parse(" ")).isEqualTo(SubjectNameStrategy.TOPIC);
  }

  @Test
  void refusesUnknownStrategies() {
    assertThatThrownBy(() -> SubjectNameStrategy.parse("com.example.MyStrategy"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("com.example.MyStrategy");
  }

  @Test
  void namesSubjectsLikeConfluent() {
    String topic = "auth.challenge.requested.v1";
    assertThat(SubjectNameStrategy.TOPIC.subjectName(topic, false, schema))
        .isEqualTo("auth.challenge.requested.v1-value");
    assertThat(SubjectNameStrategy.TOPIC.subjectName(topic, true, schema))
        .isEqualTo("auth.challenge.requested.v1-key");
    assertThat(SubjectNameStrategy.RECORD.subjectName(topic, false, schema))
        .isEqualTo("dev.signet.events.challenge.ChallengeRequested");
    assertThat(SubjectNameStrategy.TOPIC_RECORD.subjectName(topic, false, schema))
        .isEqualTo("auth.challenge.requested.v1-dev.signet.events.challenge.ChallengeRequested");
  }

  @Test
  void exposesTheConfluentClassName() {
    assertThat(SubjectNameStrategy.RECORD.confluentClassName())
        .isEqualTo("io.confluent.kafka.serializers.subject.RecordNameStrategy");
  }
}
