package dev.signet.sms.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.sms.SmsDispatchFailed;
import dev.signet.events.sms.SmsDispatched;
import dev.signet.sms.domain.AttemptFacts;
import dev.signet.sms.domain.Channel;
import dev.signet.sms.domain.ProviderOutcome;
import dev.signet.sms.domain.SendRequest;
import dev.signet.sms.it.DispatcherItSupport;
import dev.signet.sms.it.VonageStub;
import dev.signet.sms.routing.Route;
import dev.signet.sms.routing.RouteKind;
import dev.signet.sms.routing.RoutingRule;
import dev.signet.sms.routing.RoutingTable;
import dev.signet.sms.routing.RoutingTables;
import dev.signet.sms.template.MessageTemplates;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
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
import reactor.core.scheduler.Schedulers;

/**
 * Failover between routes against the real Vonage and Twilio SDKs talking to stubs: a provider
 * error on the primary sends the same attempt on the next route at once, the claim names the route
 * that holds the send, and neither redeliveries nor racing instances nor a claim resolved
 * mid-failover ever send one attempt on two routes.
 */
class RouteFailoverIT extends DispatcherItSupport {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String COUNTRY = "DE";

  @Autowired ReactiveMongoTemplate mongo;
  @Autowired RoutingTables routing;
  @Autowired DispatchService dispatch;
  @Autowired ProviderCalls calls;
  @Autowired SendAttempts attempts;

  @BeforeEach
  void vonageThenTwilioForGermany() {
    routing.apply(
        new RoutingTable(
            1_000_000,
            List.of(
                new RoutingRule(
                    COUNTRY,
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
  void aServerErrorOnThePrimarySendsTheSameAttemptOnTheNextRouteAtOnce() {
    String challengeId = newChallengeId();
    String phone = freshPhoneNumber();
    VONAGE.failNext(VonageStub.Fault.SERVER_ERROR, 1);

    publish(requested(challengeId, 1, phone, "640213").setCountryCode(COUNTRY).build());

    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatched.class, challengeId).size() == 1);
    assertThat(VONAGE.callsFor(challengeId, 1)).hasSize(1);
    assertThat(TWILIO.callsTo(phone)).hasSize(1);
    var twilioCall = TWILIO.callsTo(phone).get(0);
    assertThat(twilioCall.body()).contains("640213");
    assertThat(twilioCall.path())
        .isEqualTo(
            "/2010-04-01/Accounts/" + dev.signet.sms.it.TwilioStub.ACCOUNT_SID + "/Messages.json");
    assertThat(twilioCall.statusCallback())
        .isEqualTo(TWILIO_CALLBACK + "?clientRef=" + challengeId + "%3A1");
    SmsDispatched sent = events().records(SmsDispatched.class, challengeId).get(0);
    assertThat(sent.getRoute()).isEqualTo("twilio-messaging");
    assertThat(sent.getProvider()).isEqualTo("twilio");
    assertThat(sent.getRouteFailures()).containsExactly("vonage-sms:PROVIDER_ERROR");
    assertThat(sent.getProviderAttempts()).isEqualTo(2);
    assertThat(sent.getProviderMessageId()).isEqualTo(twilioCall.sid());
    Document attempt = attempt(challengeId);
    assertThat(attempt.getString("state")).isEqualTo("SENT");
    assertThat(attempt.getString("route")).isEqualTo("twilio-messaging");
    assertThat(attempt.getList("routes", Document.class))
        .extracting(d -> d.getString("route"))
        .containsExactly("vonage-sms", "twilio-messaging");
    assertThat(events().records(SmsDispatchFailed.class, challengeId)).isEmpty();
  }

  @Test
  void racingDeliveriesOfOneAttemptSendItOnOneRouteOnly() {
    String challengeId = newChallengeId();
    String phone = freshPhoneNumber();
    ChallengeRequested event =
        requested(challengeId, 1, phone, "118822").setCountryCode(COUNTRY).build();
    SendRequest request = ChallengeRequestedListener.toRequest(event);
    // Whichever delivery claims the attempt finds the primary failing and fails over; every other
    // one (a redelivery, another instance) must find the claim and send nothing, on any route.
    VONAGE.failNext(VonageStub.Fault.SERVER_ERROR, 1);

    Flux.range(0, 8)
        .parallel(8)
        .runOn(Schedulers.parallel())
        .flatMap(i -> dispatch.dispatch(request))
        .sequential()
        .blockLast(WAIT);
    publish(event);
    publish(event);
    String marker = newChallengeId();
    publishOnSamePartitionAs(challengeId, marker);
    await().atMost(WAIT).until(() -> !events().records(SmsDispatched.class, marker).isEmpty());

    assertThat(VONAGE.callsFor(challengeId, 1)).hasSize(1);
    assertThat(TWILIO.callsTo(phone)).hasSize(1);
    assertThat(events().records(SmsDispatched.class, challengeId))
        .singleElement()
        .satisfies(sent -> assertThat(sent.getRoute()).isEqualTo("twilio-messaging"));
  }

  @Test
  void aClaimResolvedBeforeTheFailoverStopsTheSendBeforeTheNextRoute() {
    String challengeId = newChallengeId();
    String phone = freshPhoneNumber();
    SendRequest request =
        ChallengeRequestedListener.toRequest(
            requested(challengeId, 1, phone, "555100").setCountryCode(COUNTRY).build());
    String token = UUID.randomUUID().toString();
    attempts.claim(AttemptFacts.of(request), token, "vonage-sms", null, Instant.now()).block(WAIT);
    VONAGE.failNext(VonageStub.Fault.SERVER_ERROR, 1);
    // The stale-claim sweep resolved the claim while the primary call was under way.
    mongo
        .updateFirst(
            Query.query(Criteria.where("_id").is(request.attemptId())),
            Update.update("state", "FAILED"),
            SendAttempts.COLLECTION)
        .block(WAIT);

    ProviderCalls.Attempted attempted =
        calls
            .sendWithRetries(
                request,
                routing.current().plan(COUNTRY, Channel.SMS, new java.util.Random()),
                new MessageTemplates.Message("Your code is 555100", "en", false, 1, "555100"),
                Instant.now().plusSeconds(4),
                System.nanoTime(),
                (route, because) ->
                    attempts.holdRoute(request.attemptId(), token, route, because, Instant.now()))
            .block(WAIT);

    assertThat(attempted.outcome()).isSameAs(ProviderCalls.CLAIM_LOST);
    assertThat(attempted.outcome()).isInstanceOf(ProviderOutcome.Failed.class);
    assertThat(VONAGE.callsFor(challengeId, 1)).hasSize(1);
    assertThat(TWILIO.callsTo(phone)).isEmpty();
    assertThat(attempt(challengeId).getString("route")).isEqualTo("vonage-sms");
  }

  private Document attempt(String challengeId) {
    return mongo
        .findOne(
            Query.query(Criteria.where("_id").is(challengeId + ":1")),
            Document.class,
            SendAttempts.COLLECTION)
        .block();
  }
}
