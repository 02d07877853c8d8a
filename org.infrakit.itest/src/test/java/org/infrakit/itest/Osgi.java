package org.infrakit.itest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Configurations, bundles and services inside the test framework. */
final class Osgi {
    /** Any bundle may receive the configurations of the tests (multi-location). */
    private static final String ANY_BUNDLE = "?";

    private Osgi() {
    }

    /**
     * Creates or replaces a singleton configuration.
     *
     * @param cm ConfigurationAdmin
     * @param pid the PID
     * @param keyValues key, value, key, value, …
     * @return the configuration
     */
    static Configuration configure(ConfigurationAdmin cm, String pid, Object... keyValues) {
        try {
            Configuration c = cm.getConfiguration(pid, ANY_BUNDLE);
            c.update(dictionary(keyValues));
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates or replaces a named factory configuration ({@code <factoryPid>~<name>}).
     *
     * @param cm ConfigurationAdmin
     * @param factoryPid the factory PID
     * @param name the configuration's name within the factory
     * @param keyValues key, value, key, value, …
     * @return the configuration
     */
    static Configuration configureFactory(ConfigurationAdmin cm, String factoryPid, String name, Object... keyValues) {
        try {
            Configuration c = cm.getFactoryConfiguration(factoryPid, name, ANY_BUNDLE);
            c.update(dictionary(keyValues));
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a configuration. */
    static void delete(Configuration c) {
        try {
            c.delete();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Dictionary<String, Object> dictionary(Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("key, value pairs expected: " + Arrays.toString(keyValues));
        }
        Dictionary<String, Object> d = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            d.put((String) keyValues[i], keyValues[i + 1]);
        }
        return d;
    }

    /** @return the installed bundle with that symbolic name */
    static Bundle bundle(BundleContext context, String symbolicName) {
        return Arrays.stream(context.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(symbolicName + " is not installed"));
    }

    /** Starts installed bundles, in the order given. */
    static void start(BundleContext context, String... symbolicNames) {
        for (String name : symbolicNames) {
            try {
                bundle(context, name).start();
            } catch (BundleException e) {
                throw new AssertionError("cannot start " + name + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * @param filter an LDAP filter, or {@code null}
     * @return the services of that type matching the filter right now
     */
    static <S> List<ServiceReference<S>> references(BundleContext context, Class<S> type, String filter) {
        try {
            return List.copyOf(context.getServiceReferences(type, filter));
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Waits until exactly one service of the type matches the filter; returns its reference. */
    static <S> ServiceReference<S> awaitOne(BundleContext context, Class<S> type, String filter) {
        return Poll.until("one " + type.getSimpleName() + " service matches " + filter,
                () -> references(context, type, filter), l -> l.size() == 1).get(0);
    }

    /** Waits until no service of the type matches the filter. */
    static void awaitNone(BundleContext context, Class<?> type, String filter) {
        Poll.until("no " + type.getSimpleName() + " service matches " + filter,
                () -> references(context, type, filter), List::isEmpty);
    }

    /** Waits for one service matching the filter and returns the service object. */
    static <S> S awaitService(BundleContext context, Class<S> type, String filter) {
        ServiceReference<S> ref = awaitOne(context, type, filter);
        S service = context.getService(ref);
        if (service == null) {
            throw new AssertionError("the " + type.getSimpleName() + " service " + ref + " went away");
        }
        return service;
    }
}
