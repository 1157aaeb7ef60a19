package dev.signet.sms.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.events.sms.SmsDispatchFailed;
import dev.signet.events.sms.SmsDispatched;
import dev.signet.events.sms.SmsFailureReason;
import dev.signet.platform.outbox.Outbox;
import dev.signet.sms.config.DispatcherProperties;
import dev.signet.sms.config.TwilioProperties;
import dev.signet.sms.domain.Channel;
import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import dev.signet.sms.it.DispatcherItSupport;
import dev.signet.sms.routing.Route;
import dev.signet.sms.routing.RouteKind;
import dev.signet.sms.routing.RoutingProperties;
import dev.signet.sms.routing.RoutingRule;
import dev.signet.sms.routing.RoutingTable;
import dev.signet.sms.routing.RoutingTables;
import dev.signet.sms.template.MessageTemplates;
import dev.signet.testsupport.MutableClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code signet.sms.fallback.max-per-attempt} above 1, against the real SDKs talking to the stubs
 * (which accept and never deliver): each fallback goes on the route after the last one, with the
 * same code, up to the cap, and an attempt still undelivered after its last fallback is announced
 * once, with no further send; a fallback that no route takes is announced with the last route's
 * failure.
 *
 * <p>The shared context keeps the default cap of 1, so these tests drive a {@code Fallbacks} of
 * their own (cap 2, the context's store, sender, guard, outbox and events) on a clock they move
 * past each window; it sees only the test's attempt, whose due times stay minutes ahead of the
 * context's own sweep.
 */
class FallbackLimitIT extends DispatcherItSupport {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration WINDOW = Duration.ofSeconds(30);

  /** Beyond the context's own fallback sweep for as long as a test runs. */
  private static final Duration AHEAD = Duration.ofMinutes(5);

  private static final String THREE_ROUTES = "FR";
  private static final String TWO_ROUTES = "DE";

  @Autowired ReactiveMongoTemplate mongo;
  @Autowired RoutingTables routing;
  @Autowired CodeOpener opener;
  @Autowired MessageTemplates templates;
  @Autowired ProviderGuard guard;
  @Autowired SmsSender sender;
  @Autowired DispatchEvents dispatchEvents;
  @Autowired Outbox outbox;
  @Autowired MeterRegistry meters;
  @Autowired DispatcherProperties dispatcherProperties;
  @Autowired TwilioProperties twilioProperties;
  @Autowired RoutingProperties routingProperties;
  @Autowired KnownAttempts knownAttempts;

  private final MutableClock clock = new MutableClock(Instant.now());

  @BeforeEach
  void threeRoutesForFranceAndTwoForGermany() {
    routing.apply(
        new RoutingTable(
            2_000_000,
            List.of(
                new RoutingRule(
                    THREE_ROUTES,
                    Channel.SMS,
                    List.of(
                        new Route(RouteKind.VONAGE_SMS, null, 100),
                        new Route(RouteKind.VONAGE_MESSAGES, null, 0),
                        new Route(RouteKind.TWILIO_MESSAGING, null, 0))),
                new RoutingRule(
                    TWO_ROUTES,
                    Channel.SMS,
                    List.of(
                        new Route(RouteKind.VONAGE_SMS, null, 100),
                        new Route(RouteKind.TWILIO_MESSAGING, null, 0))))));
  }

  @AfterEach
  void defaultRoutes() {
    routing.revertToDefault();
  }

  @Test
  void twoFallbacksGoOnTheSecondThenTheThirdRouteWithTheSameCodeAndNoFourthMessageFollows() {
    String challengeId = newChallengeId();
    String phone = freshPhoneNumber();
    Fallbacks fallbacks = capOf(2, challengeId);
    publish(requested(challengeId, 1, phone, "802461").setCountryCode(THREE_ROUTES).build());
    awaitDispatched(challengeId, 1);

    // Nothing delivers: each window ends without a receipt.
    dueNow(challengeId);
    assertThat(fallbacks.resolve().block(WAIT)).isEqualTo(1L);
    awaitDispatched(challengeId, 2);
    clock.advance(WINDOW.plusSeconds(1));
    assertThat(fallbacks.resolve().block(WAIT)).isEqualTo(1L);
    awaitDispatched(challengeId, 3);
    clock.advance(WINDOW.plusSeconds(1));
    assertThat(fallbacks.resolve().block(WAIT)).as("the cap is reached: no send").isZero();
    clock.advance(WINDOW.plusSeconds(1));
    assertThat(fallbacks.resolve().block(WAIT)).isZero();

    List<SmsDispatched> sent = events().records(SmsDispatched.class, challengeId);
    assertThat(sent).extracting(SmsDispatched::getFallback).containsExactly(0, 1, 2);
    assertThat(sent)
        .extracting(SmsDispatched::getRoute)
        .containsExactly("vonage-sms", "vonage-messages", "twilio-messaging");
    assertThat(sent.subList(1, 3))
        .extracting(SmsDispatched::getFallbackReason)
        .containsOnly("NO_DELIVERY_IN_WINDOW");
    // A receipt for any of the three messages is credited to the route that sent it (the
    // per-route receipt counters), not to the attempt's last route.
    for (SmsDispatched message : sent) {
      assertThat(knownAttempts.lookup(message.getProviderMessageId(), null).block(WAIT).route())
          .as("route of message %s", message.getProviderMessageId())
          .isEqualTo(message.getRoute());
    }
    // One message per route, the same code in each, and no fourth anywhere.
    assertThat(VONAGE.callsFor(challengeId, 1))
        .singleElement()
        .satisfies(c -> assertThat(c.text()).contains("802461"));
    assertThat(VONAGE.messagesApiCallsFor(challengeId, 1))
        .singleElement()
        .satisfies(c -> assertThat(c.text()).contains("802461"));
    assertThat(TWILIO.callsTo(phone))
        .singleElement()
        .satisfies(c -> assertThat(c.body()).contains("802461"));
    // Out of fallbacks with the code undelivered: announced once, with the reason.
    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatchFailed.class, challengeId).size() == 1);
    SmsDispatchFailed exhausted = events().records(SmsDispatchFailed.class, challengeId).get(0);
    assertThat(exhausted.getReason()).isEqualTo(SmsFailureReason.FALLBACKS_EXHAUSTED);
    assertThat(exhausted.getFallback()).isEqualTo(3);
    assertThat(exhausted.getFallbackReason()).isEqualTo("NO_DELIVERY_IN_WINDOW");
    assertThat(exhausted.getRoute()).isEqualTo("twilio-messaging");
    assertThat(exhausted.getProviderAttempts()).isZero();
    Document settled = attempt(challengeId);
    assertThat(settled.getString("state")).isEqualTo("SENT");
    assertThat(settled.getInteger("fallbacks")).isEqualTo(2);
    assertThat(settled.get("fallbackDueAt")).isNull();
    assertThat(settled.get("resend")).as("nothing left to send").isNull();
  }

  @Test
  void withTwoRoutesTheSecondFallbackGoesBackToTheFirstRoute() {
    String challengeId = newChallengeId();
    String phone = freshPhoneNumber();
    Fallbacks fallbacks = capOf(2, challengeId);
    publish(requested(challengeId, 1, phone, "519073").setCountryCode(TWO_ROUTES).build());
    awaitDispatched(challengeId, 1);

    dueNow(challengeId);
    assertThat(fallbacks.resolve().block(WAIT)).isEqualTo(1L);
    awaitDispatched(challengeId, 2);
    clock.advance(WINDOW.plusSeconds(1));
    assertThat(fallbacks.resolve().block(WAIT)).isEqualTo(1L);
    awaitDispatched(challengeId, 3);

    assertThat(events().records(SmsDispatched.class, challengeId))
        .extracting(SmsDispatched::getRoute)
        .containsExactly("vonage-sms", "twilio-messaging", "vonage-sms");
    assertThat(VONAGE.callsFor(challengeId, 1))
        .hasSize(2)
        .allSatisfy(c -> assertThat(c.text()).contains("519073"));
    assertThat(TWILIO.callsTo(phone)).singleElement();
  }

  @Test
  void aFallbackEveryRouteRefusesIsNotSentAndIsAnnouncedWithTheLastRoutesFailure() {
    String challengeId = newChallengeId();
    String phone = freshPhoneNumber();
    Fallbacks fallbacks =
        capOf(
            2,
            challengeId,
            answering(
                Map.of(
                    "vonage-messages", FailureReason.CIRCUIT_OPEN,
                    "twilio-messaging", FailureReason.CIRCUIT_OPEN,
                    "vonage-sms", FailureReason.CIRCUIT_OPEN)));
    publish(requested(challengeId, 1, phone, "663120").setCountryCode(THREE_ROUTES).build());
    awaitDispatched(challengeId, 1);

    dueNow(challengeId);
    assertThat(fallbacks.resolve().block(WAIT)).isZero();

    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatchFailed.class, challengeId).size() == 1);
    SmsDispatchFailed notSent = events().records(SmsDispatchFailed.class, challengeId).get(0);
    assertThat(notSent.getReason()).isEqualTo(SmsFailureReason.CIRCUIT_OPEN);
    assertThat(notSent.getFallback()).isEqualTo(1);
    assertThat(notSent.getFallbackReason()).isEqualTo("NO_DELIVERY_IN_WINDOW");
    assertThat(notSent.getRouteFailures())
        .containsExactly(
            "vonage-messages:CIRCUIT_OPEN",
            "twilio-messaging:CIRCUIT_OPEN",
            "vonage-sms:CIRCUIT_OPEN");
    assertThat(notSent.getRoute()).isEqualTo("vonage-sms");
    assertThat(notSent.getDetail()).startsWith("CIRCUIT_OPEN on vonage-sms");
    // Nothing more is tried for this attempt: its resend data is gone.
    clock.advance(WINDOW.plusSeconds(1));
    assertThat(fallbacks.resolve().block(WAIT)).isZero();
    Document settled = attempt(challengeId);
    assertThat(settled.get("resend")).isNull();
    assertThat(settled.get("fallbackDueAt")).isNull();
    assertThat(settled.getInteger("fallbacks")).isEqualTo(1);
    assertThat(events().records(SmsDispatched.class, challengeId)).hasSize(1);
    assertThat(VONAGE.callsFor(challengeId, 1)).hasSize(1);
    assertThat(TWILIO.callsTo(phone)).isEmpty();
  }

  @Test
  void aFallbackCallThatTimesOutEndsTheFallbackAndIsAnnouncedAsATimeout() {
    String challengeId = newChallengeId();
    String phone = freshPhoneNumber();
    Fallbacks fallbacks =
        capOf(
            2,
            challengeId,
            answering(
                Map.of(
                    "vonage-messages", FailureReason.PROVIDER_ERROR,
                    "twilio-messaging", FailureReason.TIMEOUT)));
    publish(requested(challengeId, 1, phone, "270318").setCountryCode(THREE_ROUTES).build());
    awaitDispatched(challengeId, 1);

    dueNow(challengeId);
    assertThat(fallbacks.resolve().block(WAIT)).isZero();

    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatchFailed.class, challengeId).size() == 1);
    SmsDispatchFailed notSent = events().records(SmsDispatchFailed.class, challengeId).get(0);
    assertThat(notSent.getReason()).isEqualTo(SmsFailureReason.TIMEOUT);
    assertThat(notSent.getFallback()).isEqualTo(1);
    assertThat(notSent.getRouteFailures())
        .containsExactly("vonage-messages:PROVIDER_ERROR", "twilio-messaging:TIMEOUT");
    assertThat(notSent.getRoute()).isEqualTo("twilio-messaging");
    assertThat(notSent.getProvider()).isEqualTo("twilio");
    // A timed-out call may have been taken: the first route is not tried after it.
    assertThat(VONAGE.callsFor(challengeId, 1)).hasSize(1);
    assertThat(events().records(SmsDispatched.class, challengeId)).hasSize(1);
  }

  /**
   * The context's guard, except that the routes named answer {@code reason} without a provider
   * call: an outage, an open circuit or a timeout on demand, touching neither stub.
   */
  private ProviderGuard answering(Map<String, FailureReason> byRoute) {
    return new ProviderGuard(
        dispatcherProperties, twilioProperties, routingProperties, new SimpleMeterRegistry()) {
      @Override
      Mono<ProviderOutcome> call(
          Route route, Supplier<Mono<ProviderOutcome>> call, boolean tokenHeld) {
        FailureReason reason = byRoute.get(route.id());
        return reason == null
            ? guard.call(route, call, tokenHeld)
            : Mono.just(
                new ProviderOutcome.Failed(
                    reason, true, null, "injected " + reason.name().toLowerCase()));
      }
    };
  }

  /** A fallback sweep with a cap of {@code max} that sees only {@code challengeId}'s attempt. */
  private Fallbacks capOf(int max, String challengeId) {
    return capOf(max, challengeId, guard);
  }

  private Fallbacks capOf(int max, String challengeId, ProviderGuard guard) {
    String attemptId = challengeId + ":1";
    FallbackStore store =
        new FallbackStore(mongo) {
          @Override
          Flux<Document> due(Instant now, int limit) {
            return super.due(now, Integer.MAX_VALUE).filter(d -> attemptId.equals(d.get("_id")));
          }
        };
    return new Fallbacks(
        store,
        opener,
        templates,
        guard,
        sender,
        dispatchEvents,
        outbox,
        new FallbackProperties(WINDOW, Map.of(), max, Duration.ofHours(1)),
        clock,
        meters);
  }

  /** The first message's window ends now on the test's clock, minutes ahead of the real one. */
  private void dueNow(String challengeId) {
    Instant due = Instant.now().plus(AHEAD);
    mongo
        .updateFirst(
            Query.query(Criteria.where("_id").is(challengeId + ":1")),
            new Update().set("fallbackDueAt", Date.from(due)),
            SendAttempts.COLLECTION)
        .block(WAIT);
    clock.set(due.plusSeconds(1));
  }

  private static void awaitDispatched(String challengeId, int count) {
    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatched.class, challengeId).size() == count);
  }

  private Document attempt(String challengeId) {
    return mongo
        .findOne(
            Query.query(Criteria.where("_id").is(challengeId + ":1")),
            Document.class,
            SendAttempts.COLLECTION)
        .block(WAIT);
  }
}
