package dev.signet.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorRedactionTest {

  private final List<Throwable> seen = new ArrayList<>();
  private final ObservationRegistry registry = ObservationRegistry.create();

  ErrorRedactionTest() {
    ObservationHandler<Observation.Context> later =
        new ObservationHandler<>() {
          @Override
          public void onError(Observation.Context context) {
            seen.add(context.getError());
          }

          @Override
          public void onStop(Observation.Context context) {
            seen.add(context.getError());
          }

          @Override
          public boolean supportsContext(Observation.Context context) {
            return true;
          }
        };
    ErrorRedaction redaction = new ErrorRedaction();
    registry
        .observationConfig()
        .observationHandler(redaction)
        .observationHandler(later)
        .observationFilter(redaction);
  }

  @Test
  void handlersAfterItSeeOnlyTheErrorsType() {
    Observation observation = Observation.start("call", registry);
    observation.error(new IllegalStateException("dup key +447700900123 code 482915"));
    observation.stop();

    assertThat(seen).hasSize(2);
    assertThat(seen)
        .allSatisfy(
            error -> {
              assertThat(error.getMessage()).isEqualTo("IllegalStateException");
              assertThat(error.toString()).isEqualTo("IllegalStateException");
              assertThat(error.getCause()).isNull();
              assertThat(error.getStackTrace()).isEmpty();
            });
  }

  @Test
  void anErrorSetJustBeforeTheStopIsRedactedToo() {
    Observation observation = Observation.start("call", registry);
    observation.getContext().setError(new IllegalArgumentException("+447700900123"));
    observation.stop();

    assertThat(seen)
        .singleElement()
        .extracting(Throwable::getMessage)
        .isEqualTo("IllegalArgumentException");
  }
}
