package dev.signet.sms.config;

import com.twilio.http.HttpMethod;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * The Twilio SDK's HTTP client with two changes: requests for {@code https://api.twilio.com} go to
 * a configured base URI instead (the SMS sandbox locally), and each request is made once. The SDK's
 * own {@code reliableRequest} repeats a request answered 5xx up to three times; the dispatcher
 * decides on retries and failover itself, and counts every call.
 */
final class TwilioHttpClient extends NetworkHttpClient {

  private static final String TWILIO = "https://api.twilio.com";

  private final String baseUri;

  TwilioHttpClient(String baseUri, Duration timeout, int maxConnections) {
    super(builder(timeout, maxConnections));
    this.baseUri = baseUri == null ? null : baseUri.replaceAll("/+$", "");
  }

  private static HttpClientBuilder builder(Duration timeout, int maxConnections) {
    Timeout t = Timeout.of(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return HttpClientBuilder.create()
        .useSystemProperties()
        .setConnectionManager(
            PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(t).build())
                .build())
        .setDefaultRequestConfig(
            RequestConfig.custom().setConnectionRequestTimeout(t).setResponseTimeout(t).build());
  }

  @Override
  public Response reliableRequest(Request request) {
    return makeRequest(request);
  }

  @Override
  public Response makeRequest(Request request) {
    return super.makeRequest(baseUri == null ? request : rewritten(request));
  }

  /** The same request addressed to the base URI: method, path, query, form, headers, auth. */
  private Request rewritten(Request request) {
    String url = request.constructURL().toString();
    if (!url.startsWith(TWILIO)) {
      return request;
    }
    HttpMethod method = request.getMethod();
    Request copy = new Request(method, baseUri + url.substring(TWILIO.length()));
    copy.setAuth(request.getUsername(), request.getPassword());
    copy.setContentType(request.getContentType());
    copy.setUserAgentExtensions(request.getUserAgentExtensions());
    for (Map.Entry<String, List<String>> e : request.getPostParams().entrySet()) {
      e.getValue().forEach(v -> copy.addPostParam(e.getKey(), v));
    }
    for (Map.Entry<String, List<String>> e : request.getHeaderParams().entrySet()) {
      e.getValue().forEach(v -> copy.addHeaderParam(e.getKey(), v));
    }
    if (request.getBody() != null) {
      copy.setBody(request.getBody());
    }
    return copy;
  }
}
