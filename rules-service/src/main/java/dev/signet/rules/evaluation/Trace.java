package dev.signet.rules.evaluation;

import java.util.List;

/**
 * Why a condition matched or not: the condition's type, the verdict, a short human-readable detail
 * (what was observed against what was asked) and the traces of its sub-conditions.
 */
public record Trace(String type, boolean matched, String detail, List<Trace> children) {

  public Trace {
    children = List.copyOf(children);
  }

  static Trace leaf(String type, boolean matched, String detail) {
    return new Trace(type, matched, detail, List.of());
  }
}
