package dev.signet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * A body read as WebFlux reads it (Spring's Jackson decoder over a mapper configured by {@link
 * StrictJson}, a decoding failure wrapped in {@link ServerWebInputException}), then answered by
 * {@link FrameworkErrors}: every member of the wrong JSON type is refused with the documented text
 * naming it, nothing is coerced, and what is not a type mismatch keeps its answer.
 */
class JsonMismatchTest {

  record Signals(Boolean deviceSeenBefore, Double score) {}

  record Body(
      String phoneNumber,
      Boolean enabled,
      Integer limit,
      Double rate,
      Signals signals,
      String[] ids,
      List<String> tags,
      Map<String, Object> custom,
      Object anything) {}

  record Validate(
      @MismatchText("clientIds must be an array of strings.") List<String> clientIds,
      Signals signals,
      String accessToken) {}

  record Outer(@MismatchText("inner must be the inner shape.") Validate inner) {}

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"clientIds\":\"a\"}              | clientIds must be an array of strings.",
        "{\"clientIds\":[\"a\",{}]}         | clientIds must be an array of strings.",
        "{\"accessToken\":1}                 | accessToken must be a string.",
        "{\"signals\":{\"score\":true}}     | signals.score must be a number.",
      })
  void aMemberMayDeclareItsOwnText(String body, String description) {
    assertThat(answer(body, Validate.class)).isEqualTo(HttpError.badRequest(description));
  }

  @Test
  void theInnermostMemberDecides() {
    assertThat(answer("{\"inner\":{\"clientIds\":7}}", Outer.class))
        .isEqualTo(HttpError.badRequest("clientIds must be an array of strings."));
    assertThat(answer("{\"inner\":{\"accessToken\":7}}", Outer.class))
        .isEqualTo(HttpError.badRequest("inner.accessToken must be a string."));
    assertThat(answer("{\"inner\":7}", Outer.class))
        .isEqualTo(HttpError.badRequest("inner must be the inner shape."));
  }

  private final JacksonJsonDecoder decoder =
      new JacksonJsonDecoder(StrictJson.configure(JsonMapper.builder()).build());

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"phoneNumber\":447700900001}        | phoneNumber must be a string.",
        "{\"phoneNumber\":4.5}                 | phoneNumber must be a string.",
        "{\"phoneNumber\":true}                | phoneNumber must be a string.",
        "{\"phoneNumber\":[\"+447700900001\"]} | phoneNumber must be a string.",
        "{\"phoneNumber\":{\"a\":1}}           | phoneNumber must be a string.",
        "{\"enabled\":\"true\"}                | enabled must be a boolean.",
        "{\"enabled\":\"\"}                    | enabled must be a boolean.",
        "{\"enabled\":1}                       | enabled must be a boolean.",
        "{\"enabled\":[true]}                  | enabled must be a boolean.",
        "{\"enabled\":{}}                      | enabled must be a boolean.",
        "{\"limit\":\"5\"}                     | limit must be a whole number.",
        "{\"limit\":true}                      | limit must be a whole number.",
        "{\"limit\":[5]}                       | limit must be a whole number.",
        "{\"limit\":1.5}                       | limit must be a whole number.",
        "{\"limit\":5.0}                       | limit must be a whole number.",
        "{\"limit\":99999999999}               | limit must be a whole number.",
        "{\"rate\":\"0.5\"}                    | rate must be a number.",
        "{\"signals\":\"yes\"}                 | signals must be an object.",
        "{\"signals\":[]}                      | signals must be an object.",
        "{\"signals\":{\"deviceSeenBefore\":\"no\"}} | signals.deviceSeenBefore must be a boolean.",
        "{\"signals\":{\"score\":\"high\"}}    | signals.score must be a number.",
        "{\"ids\":\"a\"}                       | ids must be an array.",
        "{\"ids\":{}}                          | ids must be an array.",
        "{\"ids\":[\"a\",7]}                   | ids[1] must be a string.",
        "{\"ids\":[[\"a\"]]}                   | ids[0] must be a string.",
        "{\"ids\":[{}]}                          | ids[0] must be a string.",
        "{\"tags\":\"a\"}                      | tags must be an array.",
        "{\"tags\":[\"a\",true]}               | tags[1] must be a string.",
        "{\"custom\":[1]}                      | custom must be an object.",
        "{\"custom\":\"x\"}                    | custom must be an object.",
      })
  void namesTheMemberOfTheWrongType(String body, String description) {
    assertThat(answer(body))
        .isEqualTo(new HttpError(HttpStatus.BAD_REQUEST, "invalid_request", description));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"phoneNumber\":",
        "{\"phoneNumber\" \"x\"}",
        "[]",
        "\"just a string\"",
        "42",
        // Jackson reads a nested array in a List<String> out of step (then fails on the trailing
        // token): still refused, never bound; String[] members name the element instead.
        "{\"tags\":[[\"a\"]]}",
      })
  void malformedOrNonObjectBodiesKeepTheirAnswer(String body) {
    assertThat(answer(body))
        .isEqualTo(HttpError.badRequest("The request body is not valid JSON for this endpoint."));
  }

  @Test
  void bindsWellTypedMembersAsSentAndIgnoresUnknownOnes() {
    Body body =
        decode(
                "{\"phoneNumber\":\"+447700900001\",\"enabled\":false,\"limit\":5,\"rate\":1,"
                    + "\"signals\":{\"deviceSeenBefore\":true},\"ids\":[\"a\"],\"tags\":[\"t\"],"
                    + "\"custom\":{\"n\":1,\"s\":\"x\"},\"anything\":[1],\"sdkExtra\":true}")
            .block();

    assertThat(body)
        .usingRecursiveComparison()
        .isEqualTo(
            new Body(
                "+447700900001",
                false,
                5,
                1.0,
                new Signals(true, null),
                new String[] {"a"},
                List.of("t"),
                Map.of("n", 1, "s", "x"),
                List.of(1)));
  }

  @Test
  void nullIsAbsentNotAMismatch() {
    Body body = decode("{\"phoneNumber\":null,\"enabled\":null,\"signals\":null}").block();

    assertThat(body).isEqualTo(new Body(null, null, null, null, null, null, null, null, null));
  }

  @Test
  void otherFailuresAreNotMismatches() {
    assertThat(JsonMismatch.of(new IllegalStateException("boom"))).isEmpty();
    assertThat(JsonMismatch.of(new ServerWebInputException("No request body"))).isEmpty();
  }

  private HttpError answer(String body) {
    return answer(body, Body.class);
  }

  private HttpError answer(String body, Class<?> type) {
    Throwable failure =
        decode(body, type)
            .onErrorMap(e -> new ServerWebInputException("Failed to read HTTP message", null, e))
            .map(decoded -> (Throwable) new AssertionError("decoded " + decoded))
            .onErrorResume(Mono::just)
            .block();
    return FrameworkErrors.classify(failure).orElseThrow(() -> new AssertionError(failure));
  }

  private Mono<Body> decode(String json) {
    return decode(json, Body.class);
  }

  private <T> Mono<T> decode(String json, Class<T> type) {
    DataBuffer buffer =
        DefaultDataBufferFactory.sharedInstance.wrap(json.getBytes(StandardCharsets.UTF_8));
    return decoder
        .decodeToMono(
            Mono.just(buffer), ResolvableType.forClass(type), MediaType.APPLICATION_JSON, null)
        .cast(type);
  }
}
