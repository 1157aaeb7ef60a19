package dev.signet.sandbox.inbox;

import java.time.Instant;

/**
 * One message as a phone would have received it.
 *
 * @param messageId the id returned to the sender (the first part's id for a multi-part SMS)
 * @param to recipient in E.164 form
 * @param from sender id as given
 * @param text full text, reassembled from all parts
 * @param channel {@code sms} or {@code whatsapp}
 * @param receivedAt when the sandbox accepted it
 * @param api which Vonage API carried it: {@code sms} (SMS API) or {@code messages} (Messages API)
 * @param type {@code text} (GSM-7) or {@code unicode} (UCS-2)
 * @param parts number of SMS parts billed (1 for WhatsApp)
 * @param clientRef the sender's client reference, if any
 * @param testTraffic true for a message to a configured test number, handed over by the dispatcher
 *     instead of being sent through a provider API ({@code api} is then {@code test})
 */
public record InboxMessage(
    String messageId,
    String to,
    String from,
    String text,
    String channel,
    Instant receivedAt,
    String api,
    String type,
    int parts,
    String clientRef,
    boolean testTraffic) {}
