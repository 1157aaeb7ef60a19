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
 * A consumer whose {@code close()} leaves its group. A static member keeps its partitions after an
 * ordinary close until its session times out, waiting for its own restart; a Signet instance that
 * stops gracefully hands them to the others at once instead (a restart then rejoins as usual).
 * Every other call goes to the consumer unchanged.
 */
final class LeavingConsumer implements InvocationHandler {

  private final Consumer<?, ?> delegate;

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
    if (method.getName().equals("close")
        && (args == null || args.length == 0 || args[0] instanceof Duration)) {
      CloseOptions options =
          CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP);
      if (args != null && args.length == 1) {
        options.withTimeout((Duration) args[0]);
      }
      delegate.close(options);
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
