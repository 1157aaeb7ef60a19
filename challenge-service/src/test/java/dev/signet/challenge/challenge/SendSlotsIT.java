package dev.signet.challenge.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.challenge.user.UserItSupport;
import dev.signet.platform.outbox.Outbox;
import dev.signet.testsupport.ServiceHttp.Reply;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/**
 * The per-phone send limit held by the send slots' unique index, and what a new challenge costs in
 * MongoDB: one insert on the request path, with the published event's removal batched.
 */
class SendSlotsIT extends UserItSupport {

  @Autowired MeterRegistry meters;
  @Autowired ReactiveMongoTemplate mongo;

  @Test
  void twelveParallelChallengesToOnePhoneSendExactlySix() {
    String phone = freshPhone();

    List<Reply> replies =
        IntStream.range(0, 12).parallel().mapToObj(i -> challenge(phone)).toList();

    assertThat(replies).filteredOn(r -> r.status() == 200).hasSize(6);
    List<Reply> refused = replies.stream().filter(r -> r.status() != 200).toList();
    assertThat(refused).hasSize(6);
    for (Reply reply : refused) {
      assertThat(reply.status()).isEqualTo(429);
      assertThat(reply.text("error")).isEqualTo("too_many_requests");
      long retryAfter =
          Long.parseLong(reply.response().headers().firstValue("Retry-After").orElseThrow());
      assertThat(retryAfter).isBetween(1L, 600L);
    }
    // The six sends hold six distinct slots, one each.
    List<Document> sent =
        mongo
            .find(
                Query.query(Criteria.where("phoneNumber").is(phone)),
                Document.class,
                ChallengeStore.COLLECTION)
            .collectList()
            .block(Duration.ofSeconds(10));
    assertThat(sent).hasSize(6);
    assertThat(sent.stream().flatMap(d -> d.getList("sendSlots", String.class).stream()))
        .doesNotHaveDuplicates()
        .hasSize(6);
  }

  @Test
  void aNewChallengeIsOneInsertAndNoCounterWrite() {
    double inserts = commands("challenges", "insert");
    double updates = commands("challenges", "update");
    double counters = commands("limits", "findAndModify") + commands("limits", "update");

    List<String> ids =
        IntStream.range(0, 20)
            .mapToObj(i -> challenge(freshPhone()))
            .map(reply -> reply.text("challengeId"))
            .toList();

    assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
    assertThat(commands("challenges", "insert") - inserts).isEqualTo(20);
    assertThat(commands("limits", "findAndModify") + commands("limits", "update") - counters)
        .isZero();
    // Each event leaves its document once published, in batched removals, not one write each.
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(
                        mongo
                            .count(
                                Query.query(
                                    Criteria.where("_id")
                                        .in(ids)
                                        .and(Outbox.FIELD + ".0")
                                        .exists(true)),
                                ChallengeStore.COLLECTION)
                            .block(Duration.ofSeconds(5)))
                    .isZero());
    assertThat(commands("challenges", "update") - updates).isLessThanOrEqualTo(10);
  }

  private Reply challenge(String phone) {
    return call(
        "POST",
        "/v1/challenge",
        json(Map.of("verificationMethod", "SMS", "action", "signIn", "phoneNumber", phone)));
  }

  private double commands(String collection, String command) {
    return meters
        .find("mongodb.driver.commands")
        .tag("collection", collection)
        .tag("command", command)
        .timers()
        .stream()
        .mapToDouble(Timer::count)
        .sum();
  }

  /** A number in Ofcom's drama range that no other test uses. */
  private static String freshPhone() {
    return "+4477009" + String.format("%05d", ThreadLocalRandom.current().nextInt(100_000));
  }
}
