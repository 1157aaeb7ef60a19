package dev.signet.sms.dispatch;

import dev.signet.sms.domain.AttemptFacts;
import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import dev.signet.sms.domain.SendRequest;
import dev.signet.sms.routing.Route;
import dev.signet.sms.template.MessageTemplates;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * How {@link Fallbacks} sends one fallback: the attempt's number and code opened again from the
 * sealed data it kept (never a new code), its text rendered again, then the routes after the one
 * that last sent it, one call each.
 */
final class FallbackRoutes {

  private final CodeOpener opener;
  private final MessageTemplates templates;
  private final ProviderGuard guard;
  private final SmsSender sender;

  FallbackRoutes(
      CodeOpener opener, MessageTemplates templates, ProviderGuard guard, SmsSender sender) {
    this.opener = opener;
    this.templates = templates;
    this.guard = guard;
    this.sender = sender;
  }

  /** The attempt's request and text again: its number and code opened, its template rendered. */
  record Opened(SendRequest request, MessageTemplates.Message message) {}

  Opened open(AttemptFacts facts, Resend resend) {
    String number = opener.openNumber(resend.sealKeyId(), facts.attemptId(), resend.sealedNumber());
    SendRequest request = resend.request(facts, number);
    String code =
        opener.open(
            request.sealKeyId(),
            request.sealVersion(),
            request.sealBinding(),
            request.sealedCode());
    MessageTemplates.Message message =
        templates.render(
            request.locale(),
            request.countryCode(),
            code,
            request.lifetimeMinutes(),
            request.channel().carriesWebOtpLine());
    return new Opened(request, message);
  }

  static String failure(ProviderCalls.Attempted attempted) {
    ProviderOutcome.Failed failed = (ProviderOutcome.Failed) attempted.outcome();
    return failed.reason() + " on " + attempted.route() + ": " + failed.detail();
  }

  /**
   * One call per route, the next route on a provider error, throttling or an open circuit; a
   * timeout or a rejection ends the fallback (a timed-out call may have been accepted).
   */
  Mono<ProviderCalls.Attempted> tryRoutes(
      SendRequest request,
      MessageTemplates.Message message,
      List<Route> routes,
      int index,
      List<String> failures) {
    Route route = routes.get(index);
    return guard
        .call(
            route,
            () ->
                sender.send(
                    route,
                    request.phoneNumber(),
                    message,
                    request.attemptId(),
                    request.countryCode(),
                    () -> {}),
            false)
        .flatMap(
            outcome -> {
              if (outcome instanceof ProviderOutcome.Accepted
                  || !(outcome instanceof ProviderOutcome.Failed failed)) {
                return Mono.just(
                    new ProviderCalls.Attempted(outcome, index + 1, route.id(), failures));
              }
              List<String> more = new ArrayList<>(failures);
              more.add(route.id() + ":" + failed.reason().name());
              boolean onward =
                  failed.retryable()
                      && failed.reason() != FailureReason.TIMEOUT
                      && index + 1 < routes.size();
              return onward
                  ? tryRoutes(request, message, routes, index + 1, List.copyOf(more))
                  : Mono.just(new ProviderCalls.Attempted(failed, index + 1, route.id(), more));
            });
  }
}
