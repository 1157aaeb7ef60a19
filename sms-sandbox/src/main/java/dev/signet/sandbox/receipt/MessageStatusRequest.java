package dev.signet.sandbox.receipt;

import java.util.Optional;

/**
 * What a Messages API status webhook needs to know about one accepted message.
 *
 * @param messageUuid the message_uuid returned to the sender
 * @param to recipient, international digits
 * @param from sender as given
 * @param channel sms or whatsapp
 * @param parts SMS parts billed
 * @param price total price
 * @param apiKey the key that sent it (null for JWT auth)
 * @param applicationId the application of the JWT, if any
 * @param clientRef the sender's client_ref, if any
 * @param statusOverride receipt status requested through faults
 * @param webhookUrl the request's webhook_url, replacing the configured URL
 */
public record MessageStatusRequest(
    String messageUuid,
    String to,
    String from,
    String channel,
    int parts,
    String price,
    String apiKey,
    String applicationId,
    Optional<String> clientRef,
    Optional<String> statusOverride,
    Optional<String> webhookUrl) {}
