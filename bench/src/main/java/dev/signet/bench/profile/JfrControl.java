package dev.signet.bench.profile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops a JDK Flight Recorder recording in running JVMs with {@code jcmd} (the JDK's own
 * attach tool): no JVM option is needed, any JVM of this user can be recorded, and a recording
 * covers only the measured window, not the start-up and warm-up.
 */
public final class JfrControl {

  static final String NAME = "signet-profile";

  private final String jcmd;

  public JfrControl(String javaHome) {
    this.jcmd = Path.of(javaHome, "bin", "jcmd").toString();
  }

  /** Starts a recording with the JDK's "profile" settings (10 ms execution samples) in each JVM. */
  public Map<String, String> start(Map<String, Long> pids) {
    return runAll(pids, pid -> List.of("JFR.start", "name=" + NAME, "settings=profile"));
  }

  /** Stops each recording, writing it to {@code dir/<component>.jfr}. */
  public Map<String, String> stop(Map<String, Long> pids, Path dir) {
    Map<String, String> out = new LinkedHashMap<>();
    for (var e : pids.entrySet()) {
      Path file = dir.resolve(e.getKey() + ".jfr").toAbsolutePath();
      out.put(
          e.getKey(), run(e.getValue(), List.of("JFR.stop", "name=" + NAME, "filename=" + file)));
    }
    return out;
  }

  private interface Arguments {
    List<String> of(long pid);
  }

  /** One jcmd per JVM, all at once: each is a short-lived JVM of its own. */
  private Map<String, String> runAll(Map<String, Long> pids, Arguments args) {
    Map<String, Process> started = new LinkedHashMap<>();
    Map<String, String> out = new LinkedHashMap<>();
    for (var e : pids.entrySet()) {
      List<String> command = new ArrayList<>(List.of(jcmd, Long.toString(e.getValue())));
      command.addAll(args.of(e.getValue()));
      try {
        started.put(e.getKey(), new ProcessBuilder(command).redirectErrorStream(true).start());
      } catch (IOException ex) {
        out.put(e.getKey(), "cannot run jcmd: " + ex.getMessage());
      }
    }
    started.forEach((component, p) -> out.put(component, await(p)));
    return out;
  }

  private String run(long pid, List<String> args) {
    List<String> command = new ArrayList<>(List.of(jcmd, Long.toString(pid)));
    command.addAll(args);
    try {
      return await(new ProcessBuilder(command).redirectErrorStream(true).start());
    } catch (IOException e) {
      return "cannot run jcmd: " + e.getMessage();
    }
  }

  private static String await(Process p) {
    try {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "jcmd timed out";
      }
      return (p.exitValue() == 0 ? "" : "jcmd exit " + p.exitValue() + ": ") + output;
    } catch (IOException e) {
      return "jcmd failed: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
