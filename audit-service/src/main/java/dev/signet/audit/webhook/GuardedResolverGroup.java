package dev.signet.audit.webhook;

import dev.signet.audit.webhook.domain.AddressPolicy;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import reactor.core.scheduler.Schedulers;

/**
 * Resolves an endpoint's host name for the connection itself and refuses it when any of its
 * addresses is not public ({@link AddressPolicy}). Checking the name at registration alone would
 * not do: its DNS record can point elsewhere by the time of a delivery (DNS rebinding). Because the
 * connection goes to the very address checked here, there is no window between the check and the
 * use. Look-ups run off the event loop, so a slow DNS server of one endpoint holds back no other.
 */
final class GuardedResolverGroup extends AddressResolverGroup<InetSocketAddress> {

  private final boolean allowPrivate;

  GuardedResolverGroup(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  @Override
  protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
    return new InetSocketAddressResolver(executor, new Guarded(executor, allowPrivate));
  }

  /** Whether all of {@code addresses} may be connected to. */
  static boolean allowed(List<InetAddress> addresses, boolean allowPrivate) {
    return !addresses.isEmpty()
        && (allowPrivate || addresses.stream().allMatch(AddressPolicy::isPublic));
  }

  private static final class Guarded extends InetNameResolver {

    private final boolean allowPrivate;

    Guarded(EventExecutor executor, boolean allowPrivate) {
      super(executor);
      this.allowPrivate = allowPrivate;
    }

    @Override
    protected void doResolve(String host, Promise<InetAddress> promise) {
      Schedulers.boundedElastic()
          .schedule(
              () -> {
                try {
                  promise.trySuccess(check(host).get(0));
                } catch (Exception e) {
                  promise.tryFailure(e);
                }
              });
    }

    @Override
    protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
      Schedulers.boundedElastic()
          .schedule(
              () -> {
                try {
                  promise.trySuccess(check(host));
                } catch (Exception e) {
                  promise.tryFailure(e);
                }
              });
    }

    private List<InetAddress> check(String host) throws UnknownHostException {
      List<InetAddress> addresses = Arrays.asList(InetAddress.getAllByName(host));
      if (!allowed(addresses, allowPrivate)) {
        throw new RefusedAddressException(host);
      }
      return addresses;
    }
  }

  /** The host resolves to an address webhooks may not reach. */
  static final class RefusedAddressException extends UnknownHostException {
    RefusedAddressException(String host) {
      super("refused_address: " + host + " resolves to a loopback, private or reserved address");
    }
  }
}
