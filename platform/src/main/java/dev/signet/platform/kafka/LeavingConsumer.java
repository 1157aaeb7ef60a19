package dev.signet.platform.kafka;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * A consumer that leaves its group when it stops. A static member keeps its partitions after an
 * ordinary close until its session times out, waiting for its own restart; a Signet instance that
 * stops gracefully hands them to the others at once instead (a restart then rejoins as usual).
 * spring-kafka unsubscribes a listener's consumer before closing it, and an unsubscribe resets a
 * static member without leaving, so the first of the two leaves the group and closes the consumer;
 * the other then does nothing. Every other call goes to the consumer unchanged.
 */
final class LeavingConsumer implements InvocationHandler {

  private final Consumer<?, ?> delegate;
  private boolean left;

  private LeavingConsumer(Consumer<?, ?> delegate) {
    this.delegate = delegate;
  }

  @SuppressWarnings("unchecked")
  static <K, V> Consumer<K, V> wrap(Consumer<K, V> consumer) {
    return (Consumer<K, V>)
        Proxy.newProxyInstance(
            Consumer.class.getClassLoader(),
            new Class<?>[] {Consumer.class},
            new LeavingConsumer(consumer));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    boolean unsubscribe = method.getName().equals("unsubscribe") && args == null;
    boolean close =
        method.getName().equals("close")
            && (args == null || args.length == 0 || args[0] instanceof Duration);
    if (unsubscribe || close) {
      if (!left) {
        left = true;
        CloseOptions options =
            CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP);
        if (args != null && args.length == 1) {
          options.withTimeout((Duration) args[0]);
        }
        delegate.close(options);
      }
      return null;
    }
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> "LeavingConsumer[" + delegate + "]";
      };
    }
    try {
      return method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
