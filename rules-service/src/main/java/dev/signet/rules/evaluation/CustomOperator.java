package dev.signet.rules.evaluation;

/** How a custom data value is compared. */
public enum CustomOperator {
  EQ("eq"),
  NE("ne"),
  GT("gt"),
  GTE("gte"),
  LT("lt"),
  LTE("lte"),
  IN("in"),
  NOT_IN("notIn"),
  CONTAINS("contains"),
  STARTS_WITH("startsWith"),
  EXISTS("exists");

  private final String symbol;

  CustomOperator(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  static CustomOperator of(String symbol) {
    for (CustomOperator o : values()) {
      if (o.symbol.equals(symbol)) {
        return o;
      }
    }
    return null;
  }
}
