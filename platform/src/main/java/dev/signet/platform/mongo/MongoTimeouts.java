package dev.signet.platform.mongo;

import com.mongodb.MongoClientSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The MongoDB client's time limits, so that no request or consumer waits on a store that is gone
 * for longer than a request may take: the driver's defaults wait 30 s to select a server, 10 s to
 * connect, 2 minutes for a pooled connection and forever for a reply. Options in the connection
 * string ({@code serverSelectionTimeoutMS}, ...) still win.
 *
 * @param serverSelection how long an operation waits for a reachable server (store down: 503 after
 *     this)
 * @param connect how long opening one connection may take
 * @param read how long the driver waits for one reply on an open connection
 * @param poolWait how long an operation waits for a free pooled connection
 */
public record MongoTimeouts(
    Duration serverSelection, Duration connect, Duration read, Duration poolWait) {

  public static final MongoTimeouts DEFAULTS =
      new MongoTimeouts(
          Duration.ofSeconds(2),
          Duration.ofSeconds(2),
          Duration.ofSeconds(10),
          Duration.ofSeconds(5));

  /** Applies the limits to the driver's settings. */
  public void apply(MongoClientSettings.Builder builder) {
    builder.applyToClusterSettings(
        cluster ->
            cluster.serverSelectionTimeout(serverSelection.toMillis(), TimeUnit.MILLISECONDS));
    builder.applyToSocketSettings(
        socket ->
            socket
                .connectTimeout(Math.toIntExact(connect.toMillis()), TimeUnit.MILLISECONDS)
                .readTimeout(Math.toIntExact(read.toMillis()), TimeUnit.MILLISECONDS));
    builder.applyToConnectionPoolSettings(
        pool -> pool.maxWaitTime(poolWait.toMillis(), TimeUnit.MILLISECONDS));
  }
}
