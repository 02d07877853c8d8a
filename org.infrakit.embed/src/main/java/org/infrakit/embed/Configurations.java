package org.infrakit.embed;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Writes configurations through the framework's Configuration Admin service. The calls go by
 * reflection: the host does not share {@code org.osgi.service.cm} with the bundles, so the
 * service's interface is the Configuration Admin bundle's own class, not one the host knows.
 */
final class Configurations {
    private static final String CONFIGURATION_ADMIN = "org.osgi.service.cm.ConfigurationAdmin";

    private final Object admin;

    private Configurations(Object admin) {
        this.admin = admin;
    }

    /**
     * @param context a bundle context of the framework
     * @return the Configuration Admin service of the framework
     * @throws IllegalStateException when there is none (its bundle is not started)
     */
    static Configurations of(BundleContext context) {
        // getAllServiceReferences: whatever org.osgi.service.cm the host's class path may hold, the
        // service is the bundle's, not assignable to the host's class
        ServiceReference<?>[] refs;
        try {
            refs = context.getAllServiceReferences(CONFIGURATION_ADMIN, null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        Object admin = refs == null ? null : context.getService(refs[0]);
        if (admin == null) {
            throw new IllegalStateException("Configuration Admin is not running");
        }
        return new Configurations(admin);
    }

    /**
     * Creates or replaces a singleton configuration.
     *
     * @param pid the PID
     * @param properties its properties
     */
    void put(String pid, Map<String, ?> properties) {
        Object config = call("getConfiguration", new Class<?>[] {String.class, String.class}, pid, "?");
        update(config, properties);
    }

    /**
     * Creates or replaces a named factory configuration ({@code factoryPid~name}).
     *
     * @param factoryPid the factory PID
     * @param name the configuration's name
     * @param properties its properties
     */
    void putFactory(String factoryPid, String name, Map<String, ?> properties) {
        Object config = call("getFactoryConfiguration", new Class<?>[] {String.class, String.class, String.class},
                factoryPid, name, "?");
        update(config, properties);
    }

    private Object call(String method, Class<?>[] types, Object... args) {
        return invoke(admin, method, types, args);
    }

    private static void update(Object config, Map<String, ?> properties) {
        Dictionary<String, Object> dict = new Hashtable<>(properties);
        invoke(config, "update", new Class<?>[] {Dictionary.class}, dict);
    }

    private static Object invoke(Object target, String method, Class<?>[] types, Object... args) {
        try {
            Method m = findPublic(target.getClass(), method, types);
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Configuration Admin: " + method + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Configuration Admin: cannot call " + method + ": " + e, e);
        }
    }

    /** The method as declared by a public interface, so it can be called across class loaders. */
    private static Method findPublic(Class<?> type, String name, Class<?>[] types) throws NoSuchMethodException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                try {
                    return i.getMethod(name, types);
                } catch (NoSuchMethodException e) {
                    // next
                }
            }
        }
        return type.getMethod(name, types);
    }
}
