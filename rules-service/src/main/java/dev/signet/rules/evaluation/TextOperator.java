package dev.signet.rules.evaluation;

/** How a user agent or string is compared. */
public enum TextOperator {
  EQUALS("equals"),
  CONTAINS("contains"),
  STARTS_WITH("startsWith"),
  MATCHES("matches");

  private final String symbol;

  TextOperator(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  static TextOperator of(String symbol) {
    for (TextOperator o : values()) {
      if (o.symbol.equals(symbol)) {
        return o;
      }
    }
    return null;
  }
}
