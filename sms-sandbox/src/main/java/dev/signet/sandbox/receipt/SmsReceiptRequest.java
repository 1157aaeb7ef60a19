package dev.signet.sandbox.receipt;

import java.util.Optional;

/**
 * What an SMS API receipt needs to know about one accepted part.
 *
 * @param messageId the part's message-id
 * @param msisdn recipient, international digits
 * @param from the sender id of the request (reported as {@code to}, as Vonage does)
 * @param price price of this part
 * @param apiKey the key that sent it
 * @param clientRef the sender's client-ref, if any
 * @param statusOverride receipt status requested through faults
 * @param callbackUrl the request's {@code callback}, replacing the configured URL
 */
public record SmsReceiptRequest(
    String messageId,
    String msisdn,
    String from,
    String price,
    String apiKey,
    Optional<String> clientRef,
    Optional<String> statusOverride,
    Optional<String> callbackUrl) {}
