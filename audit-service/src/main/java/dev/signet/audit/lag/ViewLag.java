package dev.signet.audit.lag;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * How far behind the views are, per topic: the consumer lag in records (read from the broker by
 * {@link ConsumerLagMonitor}), the age of the newest event applied to the views, and the audit lag
 * of each applied record (its Kafka timestamp to the moment the views acknowledged it).
 *
 * <p>Meters: {@code signet.audit.consumer.lag{topic}} (records), {@code
 * signet.audit.view.newest.age{topic}} (seconds), {@code signet.audit.view.lag} (timer, with
 * percentiles and a histogram), {@code signet.audit.events{topic,result}} (counter).
 */
@Component
public class ViewLag {

  /** What the lag endpoint shows for one topic. */
  public record TopicLag(
      String topic,
      Long consumerLag,
      Instant newestEventAt,
      Double newestEventAgeSeconds,
      Instant lastAppliedAt,
      long applied) {}

  private final Clock clock;
  private final MeterRegistry registry;
  private final Timer viewLag;
  private final Map<String, AtomicLong> consumerLag = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> newestEventMillis = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lastAppliedMillis = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> appliedCount = new ConcurrentHashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final List<String> topics;

  ViewLag(Clock clock, MeterRegistry registry, ConsumedTopics topics) {
    this.clock = clock;
    this.registry = registry;
    this.topics = topics.names();
    this.viewLag =
        Timer.builder("signet.audit.view.lag")
            .description("Kafka record timestamp to the views acknowledging the record")
            .publishPercentiles(0.5, 0.95, 0.99)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(2))
            .distributionStatisticExpiry(Duration.ofMinutes(1))
            .register(registry);
    for (String topic : this.topics) {
      AtomicLong lag = consumerLag.computeIfAbsent(topic, t -> new AtomicLong(-1));
      Gauge.builder("signet.audit.consumer.lag", lag, v -> v.get() < 0 ? Double.NaN : v.get())
          .description("Records on the topic not yet applied to the views (all partitions)")
          .tag("topic", topic)
          .register(registry);
      AtomicLong newest = newestEventMillis.computeIfAbsent(topic, t -> new AtomicLong(-1));
      Gauge.builder(
              "signet.audit.view.newest.age",
              newest,
              v -> v.get() < 0 ? Double.NaN : (clock.millis() - v.get()) / 1000.0)
          .description("Age of the newest event of the topic applied to the views")
          .baseUnit("seconds")
          .tag("topic", topic)
          .register(registry);
      lastAppliedMillis.put(topic, new AtomicLong(-1));
      appliedCount.put(topic, new AtomicLong());
    }
  }

  /** One record applied to the views: its Kafka timestamp and its event time. */
  public void applied(String topic, long recordTimestamp, Instant occurredAt) {
    long now = clock.millis();
    if (recordTimestamp > 0) {
      viewLag.record(Math.max(0, now - recordTimestamp), TimeUnit.MILLISECONDS);
    }
    newest(topic).accumulateAndGet(occurredAt.toEpochMilli(), Math::max);
    lastAppliedMillis.computeIfAbsent(topic, t -> new AtomicLong(-1)).set(now);
    appliedCount.computeIfAbsent(topic, t -> new AtomicLong()).incrementAndGet();
  }

  /** The newest event time found in the views at start-up. */
  public void seedNewest(String topic, Instant occurredAt) {
    newest(topic).accumulateAndGet(occurredAt.toEpochMilli(), Math::max);
  }

  /** Counts records by what became of them: applied, duplicate, dead-lettered, expired, empty. */
  public void count(String topic, String result, long n) {
    if (n > 0) {
      counters
          .computeIfAbsent(
              topic + "\n" + result,
              k ->
                  Counter.builder("signet.audit.events")
                      .description("Records read by the view builder, by what became of them")
                      .tag("topic", topic)
                      .tag("result", result)
                      .register(registry))
          .increment(n);
    }
  }

  void consumerLag(String topic, long lag) {
    consumerLag.computeIfAbsent(topic, t -> new AtomicLong(-1)).set(lag);
  }

  /** Per topic, in catalogue order. */
  public List<TopicLag> topics() {
    long now = clock.millis();
    return topics.stream()
        .map(
            t -> {
              long lag = consumerLag.getOrDefault(t, new AtomicLong(-1)).get();
              long newest = newest(t).get();
              long last = lastAppliedMillis.getOrDefault(t, new AtomicLong(-1)).get();
              return new TopicLag(
                  t,
                  lag < 0 ? null : lag,
                  newest < 0 ? null : Instant.ofEpochMilli(newest),
                  newest < 0 ? null : (now - newest) / 1000.0,
                  last < 0 ? null : Instant.ofEpochMilli(last),
                  appliedCount.getOrDefault(t, new AtomicLong()).get());
            })
        .toList();
  }

  /**
   * The audit lag over the last minute, in milliseconds to one decimal: how many records, the
   * configured percentiles (each only once measured) and the maximum.
   */
  public record ViewLagSummary(
      long count,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double p50Millis,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double p95Millis,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double p99Millis,
      double maxMillis) {}

  /** Percentiles of the audit lag over the last minute, in milliseconds, and the total count. */
  public ViewLagSummary viewLagSummary() {
    var snapshot = viewLag.takeSnapshot();
    Map<Long, Double> millis = new HashMap<>();
    for (ValueAtPercentile p : snapshot.percentileValues()) {
      millis.put(Math.round(p.percentile() * 100), tenths(p.value(TimeUnit.MILLISECONDS)));
    }
    return new ViewLagSummary(
        snapshot.count(),
        millis.get(50L),
        millis.get(95L),
        millis.get(99L),
        tenths(snapshot.max(TimeUnit.MILLISECONDS)));
  }

  private static double tenths(double value) {
    return Math.round(value * 10) / 10.0;
  }

  private AtomicLong newest(String topic) {
    return newestEventMillis.computeIfAbsent(topic, t -> new AtomicLong(-1));
  }
}
