package dev.signet.rules.evaluation;

/** A numeric comparison of an observed count or value against a rule's threshold. */
public enum Comparison {
  EQ("eq"),
  NE("ne"),
  GT("gt"),
  GTE("gte"),
  LT("lt"),
  LTE("lte");

  private final String symbol;

  Comparison(String symbol) {
    this.symbol = symbol;
  }

  /** The name used in rule documents ({@code gt}, {@code lte}, ...). */
  public String symbol() {
    return symbol;
  }

  static Comparison of(String symbol) {
    for (Comparison c : values()) {
      if (c.symbol.equals(symbol)) {
        return c;
      }
    }
    return null;
  }

  boolean test(double observed, double threshold) {
    return switch (this) {
      case EQ -> observed == threshold;
      case NE -> observed != threshold;
      case GT -> observed > threshold;
      case GTE -> observed >= threshold;
      case LT -> observed < threshold;
      case LTE -> observed <= threshold;
    };
  }
}
