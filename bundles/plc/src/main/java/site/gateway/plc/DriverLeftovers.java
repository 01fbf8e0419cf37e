package site.gateway.plc;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.plc4x.java.api.PlcConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What PLC4X 0.13.1 leaves running when the PLC closes a connection first (apache/plc4x#2229, open; no later
 * release): the connection's timeout timer (a Netty HashedWheelTimer thread ticking every 100 ms) and its
 * request transaction manager's pool (4 threads). Its {@code close()} releases them only while the channel is
 * still open, that is when the gateway closes first; a PLC restarted every night would otherwise cost five
 * threads a night. Captured right after connect, while the channel's pipeline still holds them, and released
 * after {@code close()}. Found by reflection, since the plc bundle imports neither PLC4X's SPI nor Netty; a
 * driver built otherwise has nothing to capture, and releasing twice is harmless.
 */
final class DriverLeftovers {
    private static final Logger LOG = LoggerFactory.getLogger(DriverLeftovers.class);
    private static final Runnable NOTHING = () -> {
    };
    private static final String TRANSACTION_MANAGER = "org.apache.plc4x.java.spi.transaction.RequestTransactionManager";

    private DriverLeftovers() {
    }

    /** What to run after {@code connection.close()}; call while the connection is open. */
    static Runnable capture(PlcConnection connection) {
        try {
            Object channel = call(connection, "getChannel");
            Object pipeline = channel == null ? null : call(channel, "pipeline");
            if (pipeline == null || !(call(pipeline, "toMap") instanceof Map<?, ?> handlers)) {
                return NOTHING;
            }
            List<Runnable> releases = new ArrayList<>();
            for (Object handler : handlers.values()) {
                Object timeouts = field(handler, "timeoutManager");
                if (timeouts != null) {
                    releases.add(() -> call(timeouts, "stop"));
                }
                Object protocol = field(handler, "protocolBase");
                if (protocol != null) {
                    for (Object manager : instanceFields(protocol, TRANSACTION_MANAGER)) {
                        releases.add(() -> call(manager, "shutdown"));
                    }
                }
            }
            return releases.isEmpty() ? NOTHING : () -> releases.forEach(DriverLeftovers::quietly);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("nothing captured to release after closing {}: {}", connection.getClass().getName(), e.toString());
            return NOTHING;
        }
    }

    private static void quietly(Runnable release) {
        try {
            release.run();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("releasing a closed PLC connection's leftovers failed: {}", e.toString());
        }
    }

    /** Calls a public no-argument method; null when there is none. */
    private static Object call(Object target, String name) {
        try {
            Method method = target.getClass().getMethod(name);
            method.trySetAccessible();
            return method.invoke(target);
        } catch (NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(name + " on " + target.getClass().getName() + ": " + e, e);
        }
    }

    /** The value of an instance field declared by the class or a superclass; null when there is none. */
    private static Object field(Object target, String name) {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name) && !Modifier.isStatic(f.getModifiers()) && f.trySetAccessible()) {
                    return read(f, target);
                }
            }
        }
        return null;
    }

    /** Values of the instance fields whose value is of the named class. */
    private static List<Object> instanceFields(Object target, String className) {
        List<Object> out = new ArrayList<>();
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive() && f.trySetAccessible()) {
                    Object value = read(f, target);
                    if (value != null && value.getClass().getName().equals(className)) {
                        out.add(value);
                    }
                }
            }
        }
        return out;
    }

    private static Object read(Field f, Object target) {
        try {
            return f.get(target);
        } catch (IllegalAccessException e) {
            return null;
        }
    }
}
