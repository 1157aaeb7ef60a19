package dev.signet.platform.mongo;

import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import dev.signet.platform.web.HttpError;
import java.time.Duration;
import org.springframework.http.HttpStatus;

/**
 * Recognises a failure caused by MongoDB being unreachable (down, restarting, failing over, or not
 * answering within the client's timeouts), as opposed to a bug or a refused write. Such a request
 * is answered {@code 503 service_unavailable} with {@code Retry-After}; such a consumed record is
 * retried until the store is back, never dead-lettered and never committed past.
 */
public final class StoreUnavailable {

  /** What a client is told to wait before retrying: about one MongoDB restart or fail-over. */
  public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  public static final HttpError ERROR =
      new HttpError(
          HttpStatus.SERVICE_UNAVAILABLE,
          "service_unavailable",
          "The service cannot reach its data store right now; retry after the time in"
              + " Retry-After.");

  private StoreUnavailable() {}

  /** Whether {@code failure}, or any of its causes, says the store could not be reached. */
  public static boolean is(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof MongoSocketException
          || t instanceof MongoTimeoutException
          || t instanceof MongoConnectionPoolClearedException
          || t instanceof MongoNotPrimaryException
          || t instanceof MongoNodeIsRecoveringException) {
        return true;
      }
      if (t.getCause() == t) {
        return false;
      }
    }
    return false;
  }
}
