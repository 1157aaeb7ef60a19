package dev.signet.bench.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * What one JFR recording says about where a JVM spent its CPU: execution samples by method (self
 * and total), by cause ({@link Causes}) and as collapsed stacks for a flame graph; allocation
 * samples by class; garbage collections; and the Java name of every OS thread seen, so that the
 * per-thread CPU read from {@code /proc} can carry full names.
 */
public final class JfrSummary {

  /** Deepest frames kept per stack (JFR's default stack depth is 64). */
  private static final int MAX_DEPTH = 64;

  public long executionSamples;
  public final Map<String, Long> selfSamples = new HashMap<>();
  public final Map<String, Long> totalSamples = new HashMap<>();
  public final Map<String, Long> causeSamples = new HashMap<>();
  public final Map<String, Long> collapsed = new HashMap<>();
  public final Map<String, Long> allocationBytes = new HashMap<>();
  public long allocationTotalBytes;
  public long gcCount;
  public Duration gcPause = Duration.ZERO;
  public final Map<Long, String> threadNames = new HashMap<>();

  private JfrSummary() {}

  public static JfrSummary read(Path recording) throws IOException {
    JfrSummary s = new JfrSummary();
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        s.accept(file.readEvent());
      }
    }
    return s;
  }

  private void accept(RecordedEvent event) {
    String type = event.getEventType().getName();
    rememberThread(event.getThread());
    switch (type) {
      case "jdk.ExecutionSample" -> executionSample(event);
      case "jdk.ObjectAllocationSample" -> allocationSample(event);
      case "jdk.GarbageCollection" -> {
        gcCount++;
        gcPause = gcPause.plus(event.getDuration("sumOfPauses"));
      }
      default -> {}
    }
  }

  private void rememberThread(RecordedThread thread) {
    if (thread != null && thread.getOSThreadId() > 0 && thread.getJavaName() != null) {
      threadNames.putIfAbsent(thread.getOSThreadId(), thread.getJavaName());
    }
  }

  private void executionSample(RecordedEvent event) {
    RecordedThread thread = event.getThread("sampledThread");
    rememberThread(thread);
    RecordedStackTrace trace = event.getStackTrace();
    if (trace == null || trace.getFrames().isEmpty()) {
      return;
    }
    executionSamples++;
    List<RecordedFrame> frames = trace.getFrames(); // leaf first
    int depth = Math.min(frames.size(), MAX_DEPTH);
    List<String> names = new ArrayList<>(depth);
    for (int i = 0; i < depth; i++) {
      names.add(frameName(frames.get(i)));
    }
    selfSamples.merge(names.get(0), 1L, Long::sum);
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      if (seen.add(n)) {
        totalSamples.merge(n, 1L, Long::sum);
      }
    }
    causeSamples.merge(Causes.of(names), 1L, Long::sum);
    StringBuilder stack = new StringBuilder(ThreadGroups.normalise(threadName(thread)));
    if (frames.size() > depth) {
      stack.append(";[truncated]");
    }
    for (int i = depth - 1; i >= 0; i--) {
      stack.append(';').append(names.get(i).replace(';', ':'));
    }
    collapsed.merge(stack.toString(), 1L, Long::sum);
  }

  private void allocationSample(RecordedEvent event) {
    long weight = event.getLong("weight");
    String cls = event.getClass("objectClass").getName();
    allocationBytes.merge(cls, weight, Long::sum);
    allocationTotalBytes += weight;
  }

  private static String threadName(RecordedThread thread) {
    if (thread == null) {
      return "?";
    }
    return thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
  }

  static String frameName(RecordedFrame frame) {
    if (frame.getMethod() == null) {
      return "?";
    }
    String type = frame.getMethod().getType().getName();
    return type + "." + frame.getMethod().getName();
  }

  /** The {@code n} largest entries, largest first. */
  public static Map<String, Long> top(Map<String, Long> counts, int n) {
    Map<String, Long> out = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(n)
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }
}
