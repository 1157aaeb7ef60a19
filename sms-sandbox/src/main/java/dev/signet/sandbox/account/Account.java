package dev.signet.sandbox.account;

import dev.signet.sandbox.SandboxProperties;
import java.math.BigDecimal;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The prepaid balance Vonage reports as {@code remaining-balance}. */
@Component
public class Account {

  private BigDecimal balance;

  public Account(SandboxProperties properties) {
    this.balance = properties.startingBalance();
  }

  /** Debits {@code amount} and returns the new balance, or empty when the balance is too low. */
  public synchronized Optional<BigDecimal> charge(BigDecimal amount) {
    if (balance.compareTo(amount) < 0) {
      return Optional.empty();
    }
    balance = balance.subtract(amount);
    return Optional.of(balance);
  }

  public synchronized BigDecimal balance() {
    return balance;
  }
}
