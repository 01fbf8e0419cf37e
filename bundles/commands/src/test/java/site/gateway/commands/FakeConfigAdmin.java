package site.gateway.commands;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The part of Config Admin a gateway config command uses (get a configuration, read and update its
 * properties), kept in memory. Anything else fails the test loudly.
 */
final class FakeConfigAdmin {
    final Map<String, Hashtable<String, Object>> stored = new ConcurrentHashMap<>();

    ConfigurationAdmin service() {
        return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getConfiguration" -> configuration((String) args[0]);
                    case "getFactoryConfiguration" -> configuration(args[0] + "~" + args[1]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private Configuration configuration(String pid) {
        return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getPid" -> pid;
                    case "getProperties" -> {
                        Hashtable<String, Object> props = stored.get(pid);
                        yield props == null ? null : new Hashtable<>(props);
                    }
                    case "update" -> {
                        @SuppressWarnings("unchecked")
                        Dictionary<String, Object> props = (Dictionary<String, Object>) args[0];
                        Hashtable<String, Object> copy = new Hashtable<>();
                        for (var keys = props.keys(); keys.hasMoreElements();) {
                            String key = keys.nextElement();
                            copy.put(key, props.get(key));
                        }
                        copy.put("service.pid", pid);
                        stored.put(pid, copy);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
