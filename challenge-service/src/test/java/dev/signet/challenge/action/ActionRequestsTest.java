package dev.signet.challenge.action;

import static dev.signet.challenge.web.RequestBodies.read;
import static dev.signet.challenge.web.RequestBodies.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.challenge.action.ActionRequests.StateChange;
import dev.signet.challenge.action.ActionRequests.TrackRequest;
import dev.signet.challenge.outcome.Refusal;
import dev.signet.challenge.outcome.Refused;
import dev.signet.challenge.web.ApiException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionRequestsTest {

  @Test
  void scopesMustAllBeKnownAndAreDeduplicated() {
    assertThat(ActionRequests.scope("add:authenticators  update:authenticators add:authenticators"))
        .isEqualTo("add:authenticators update:authenticators");
    assertThat(ActionRequests.scope(null)).isEmpty();
    assertThat(ActionRequests.scope(" ")).isEmpty();
    assertThatThrownBy(() -> ActionRequests.scope("add:authenticators admin"))
        .isInstanceOf(ApiException.class);
    assertThat(refusal("{\"scope\":[\"add:authenticators\"]}", TrackRequest.class))
        .isEqualTo("scope must be a string.");
  }

  @Test
  void customDataHoldsPrimitivesOnly() {
    Map<String, Object> custom = new HashMap<>();
    custom.put("amount", 2500);
    custom.put("rate", 1.5);
    custom.put("vip", true);
    custom.put("note", "x");
    custom.put("nothing", null);
    assertThat(ActionRequests.custom(custom))
        .containsEntry("amount", 2500L)
        .containsEntry("rate", 1.5)
        .containsEntry("vip", true)
        .containsEntry("nothing", null);
    assertThatThrownBy(() -> ActionRequests.custom(Map.of("a", Map.of("b", 1))))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> ActionRequests.custom(Map.of("a", List.of(1))))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> ActionRequests.custom(Map.of("$where", 1)))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> ActionRequests.custom(Map.of("a", "zero\u200bwidth")))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void pathIdsAreUrlSafeAndActionCodesMatchTheSpec() {
    assertThat(ActionRequests.actionCode("sign_in-2")).isEqualTo("sign_in-2");
    for (String bad : new String[] {"sign.in", "a/b", "a b", "", "a".repeat(65), "é"}) {
      assertThatThrownBy(() -> ActionRequests.actionCode(bad)).isInstanceOf(ApiException.class);
    }
    for (String bad : new String[] {"a/b", "a?b", "a#b", "a b", "%2F", "$ne", ""}) {
      assertThatThrownBy(() -> ActionRequests.userId(bad)).isInstanceOf(ApiException.class);
    }
  }

  @Test
  void trackBodyIsValidatedFieldByField() {
    TrackCommand command =
        track(
            "{\"ipAddress\":\"2001:db8::1\",\"deviceId\":\"d1\","
                + "\"scope\":\"add:authenticators\",\"redirectToSettings\":true}");
    assertThat(command.ipAddress()).isEqualTo("2001:db8::1");
    assertThat(command.idempotencyKey()).isNull();
    assertThat(command.scope()).isEqualTo("add:authenticators");
    assertThat(ActionRequests.track("u1", "signIn", null, "c1").custom()).isEmpty();
    assertThatThrownBy(() -> track("{\"ipAddress\":\"localhost\"}"))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> track("{\"redirectUrl\":\"javascript:alert(1)\"}"))
        .isInstanceOf(ApiException.class);
    // phoneNumber is profile data: kept as given (the Python SDK's test sends 1234567890) ...
    assertThatCode(() -> track("{\"phoneNumber\":\"1234567890\"}")).doesNotThrowAnyException();
    // ... but never a control character or a non-string.
    assertThatThrownBy(() -> track("{\"phoneNumber\":\"07700\\n90012\"}"))
        .isInstanceOfSatisfying(
            Refused.class, e -> assertThat(e.refusal()).isInstanceOf(Refusal.InvalidRequest.class));
    assertThat(refusal("{\"phoneNumber\":447700900123}", TrackRequest.class))
        .isEqualTo("phoneNumber must be a string or null.");
  }

  @Test
  void trackBodyMembersOfTheWrongTypeKeepTheirDocumentedTexts() {
    assertThat(refusal("{\"custom\":[1]}", TrackRequest.class))
        .isEqualTo("custom must be a JSON object of primitive values.");
    assertThat(refusal("{\"custom\":\"x\"}", TrackRequest.class))
        .isEqualTo("custom must be a JSON object of primitive values.");
    assertThat(refusal("{\"email\":{}}", TrackRequest.class))
        .isEqualTo("email must be a string or null.");
    assertThat(refusal("{\"username\":true}", TrackRequest.class))
        .isEqualTo("username must be a string or null.");
    assertThat(refusal("{\"ipAddress\":127}", TrackRequest.class))
        .isEqualTo("ipAddress must be a string.");
    assertThat(refusal("{\"idempotencyKey\":{\"$ne\":null}}", TrackRequest.class))
        .isEqualTo("idempotencyKey must be a string.");
  }

  @Test
  void aStateChangeOfTheWrongTypeNamesEveryState() {
    assertThat(ActionRequests.STATE_ONE_OF)
        .isEqualTo("state must be one of " + List.of(ActionState.values()) + ".");
    assertThat(refusal("{\"state\":1}", StateChange.class)).isEqualTo(ActionRequests.STATE_ONE_OF);
    assertThat(refusal("{\"state\":[\"ALLOW\"]}", StateChange.class))
        .isEqualTo(ActionRequests.STATE_ONE_OF);
    assertThatThrownBy(() -> ActionRequests.state(null, "state"))
        .hasMessage(ActionRequests.STATE_ONE_OF);
  }

  private static TrackCommand track(String json) {
    return ActionRequests.track("u1", "signIn", read(json, TrackRequest.class), "c1");
  }

  @Test
  void fromDateIsAnInstantOrADate() {
    assertThat(ActionRequests.fromDate("2026-11-25T10:00:00Z"))
        .isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
    assertThat(ActionRequests.fromDate("2026-11-25"))
        .isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
    assertThat(ActionRequests.fromDate(null)).isNull();
    assertThatThrownBy(() -> ActionRequests.fromDate("yesterday")).isInstanceOf(ApiException.class);
  }
}
