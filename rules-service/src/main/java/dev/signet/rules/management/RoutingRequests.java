package dev.signet.rules.management;

import static dev.signet.rules.management.BodyFields.integer;

import dev.signet.platform.web.HttpErrorException;
import dev.signet.rules.policy.RoutingRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code PUT /v1/management/send-policy/routing}, read into routing rules in one place:
 * unknown fields, wrong types, unknown providers or APIs, a route on the wrong channel, duplicates
 * and out-of-range values are refused with the field named, never coerced.
 */
final class RoutingRequests {

  static final int MAX_RULES = 300;
  static final int MAX_ROUTES = 5;
  static final Pattern NUMBER = Pattern.compile("^\\+?[1-9][0-9]{6,14}$");
  static final Pattern ALPHANUMERIC = Pattern.compile("^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$");

  /** The APIs of each provider, and the channel each serves. */
  private static final Map<String, Map<String, String>> APIS =
      Map.of(
          "vonage", Map.of("sms", "SMS", "messages", "SMS", "whatsapp", "WHATSAPP"),
          "twilio", Map.of("messaging", "SMS"));

  private RoutingRequests() {}

  static List<RoutingRule> rules(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw HttpErrorException.invalid("The body must be a JSON object {\"rules\": [...]}.");
    }
    only(body, Set.of("rules"), "");
    JsonNode rules = body.get("rules");
    if (rules == null || !rules.isArray() || rules.size() > MAX_RULES) {
      throw HttpErrorException.invalid(
          "rules must be an array of at most " + MAX_RULES + " rules (empty: default routes).");
    }
    List<RoutingRule> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < rules.size(); i++) {
      RoutingRule rule = rule(rules.get(i), "rules[" + i + "]");
      if (!seen.add(rule.country() + "/" + rule.channel())) {
        throw HttpErrorException.invalid(
            "rules["
                + i
                + "] repeats country "
                + rule.country()
                + " and channel "
                + rule.channel()
                + ".");
      }
      out.add(rule);
    }
    return out;
  }

  private static RoutingRule rule(JsonNode node, String at) {
    if (node == null || !node.isObject()) {
      throw HttpErrorException.invalid(at + " must be an object.");
    }
    only(node, Set.of("country", "channel", "routes"), at + ".");
    JsonNode countryNode = node.get("country");
    String country = countryNode != null && countryNode.isString() ? countryNode.asString() : "";
    if (!country.equals("*") && !SendPolicyRequests.COUNTRIES.contains(country)) {
      throw HttpErrorException.invalid(
          at + ".country must be an ISO 3166-1 alpha-2 region (GB) or * for every other region.");
    }
    JsonNode channelNode = node.get("channel");
    String channel =
        channelNode == null ? "SMS" : channelNode.isString() ? channelNode.asString() : "";
    if (!channel.equals("SMS") && !channel.equals("WHATSAPP")) {
      throw HttpErrorException.invalid(at + ".channel must be SMS or WHATSAPP.");
    }
    JsonNode routes = node.get("routes");
    if (routes == null || !routes.isArray() || routes.isEmpty() || routes.size() > MAX_ROUTES) {
      throw HttpErrorException.invalid(
          at + ".routes must be an array of 1 to " + MAX_ROUTES + " routes, in failover order.");
    }
    List<RoutingRule.Route> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < routes.size(); i++) {
      RoutingRule.Route route = route(routes.get(i), channel, at + ".routes[" + i + "]");
      if (!seen.add(route.provider() + "-" + route.api())) {
        throw HttpErrorException.invalid(
            at + ".routes[" + i + "] repeats " + route.provider() + " " + route.api() + ".");
      }
      out.add(route);
    }
    return new RoutingRule(country, channel, out);
  }

  private static RoutingRule.Route route(JsonNode node, String channel, String at) {
    if (node == null || !node.isObject()) {
      throw HttpErrorException.invalid(at + " must be an object.");
    }
    only(node, Set.of("provider", "api", "sender", "weight"), at + ".");
    String provider = string(node.get("provider"));
    Map<String, String> apis = APIS.get(provider);
    if (apis == null) {
      throw HttpErrorException.invalid(at + ".provider must be vonage or twilio.");
    }
    String api = string(node.get("api"));
    if (!apis.containsKey(api)) {
      throw HttpErrorException.invalid(
          at
              + ".api must be one of "
              + new java.util.TreeSet<>(apis.keySet())
              + " for "
              + provider
              + ".");
    }
    if (!apis.get(api).equals(channel)) {
      throw HttpErrorException.invalid(
          at + ": " + provider + " " + api + " does not carry the " + channel + " channel.");
    }
    JsonNode senderNode = node.get("sender");
    String sender = null;
    if (senderNode != null && !senderNode.isNull()) {
      sender = senderNode.isString() ? senderNode.asString() : "";
      boolean number = NUMBER.matcher(sender).matches();
      if (!number && (channel.equals("WHATSAPP") || !ALPHANUMERIC.matcher(sender).matches())) {
        throw HttpErrorException.invalid(
            at
                + ".sender must be a phone number (E.164) or, for SMS, an alphanumeric id of 1 to"
                + " 11 letters, digits and spaces; null uses the configured sender.");
      }
    }
    JsonNode weightNode = node.get("weight");
    int weight = weightNode == null ? 0 : (int) integer(weightNode, at + ".weight", 0, 100);
    return new RoutingRule.Route(provider, api, sender, weight);
  }

  private static String string(JsonNode node) {
    return node != null && node.isString() ? node.asString().toLowerCase(Locale.ROOT) : "";
  }

  private static void only(JsonNode node, Set<String> fields, String prefix) {
    for (Iterator<String> names = node.propertyNames().iterator(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw HttpErrorException.invalid(prefix + name + " is not a known field.");
      }
    }
  }
}
