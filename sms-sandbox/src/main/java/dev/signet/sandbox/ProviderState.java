package dev.signet.sandbox;

import dev.signet.sandbox.account.Account;
import dev.signet.sandbox.auth.CredentialsChecker;
import dev.signet.sandbox.fault.Faults;
import dev.signet.sandbox.inbox.Inbox;
import dev.signet.sandbox.receipt.DeliveryReceipts;
import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * What the simulated provider keeps, which both of its send APIs (SMS API and Messages API) act on:
 * the settings, the credentials it accepts, the armed faults, the account balance, the inbox, the
 * delivery receipts it owes, and its message ids and clock.
 */
@Component
public record ProviderState(
    SandboxProperties properties,
    CredentialsChecker credentials,
    Faults faults,
    Account account,
    Inbox inbox,
    DeliveryReceipts receipts,
    MessageIds ids,
    Clock clock) {}
