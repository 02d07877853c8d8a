package org.infrakit.shell.impl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

import org.infrakit.shell.verbs.PluginEntry;
import org.infrakit.shell.verbs.PluginKind;
import org.infrakit.shell.verbs.PluginLease;
import org.infrakit.shell.verbs.PluginLookup;
import org.infrakit.shell.verbs.PluginNotFoundException;
import org.infrakit.spi.PluginProperties;
import org.infrakit.spi.PluginRef;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceException;
import org.osgi.framework.ServiceReference;

/**
 * Finds plugins in the OSGi service registry: services of the SPI type with
 * {@code infrakit.plugin.name=<name>} and a matching {@code infrakit.plugin.type} (absent or empty
 * for the default object). Local and imported plugins are found alike. Each lease gets the service
 * and ungets it on close.
 */
final class ServiceRegistryLookup implements PluginLookup {
    private final BundleContext context;

    ServiceRegistryLookup(BundleContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public <T> PluginLease<T> open(Class<T> type, PluginRef ref) throws PluginNotFoundException {
        PluginKind kind = PluginKind.of(type);
        List<ServiceReference<T>> candidates = new ArrayList<>();
        for (ServiceReference<T> r : references(type, "(" + PluginProperties.NAME + "=" + escape(ref.name()) + ")")) {
            if (subType(r).equals(ref.type())) {
                candidates.add(r);
            }
        }
        // highest service.ranking first, then the oldest service (ServiceReference's natural order)
        candidates.sort((a, b) -> b.compareTo(a));
        for (ServiceReference<T> r : candidates) {
            T service = context.getService(r);
            if (service != null) {
                return new PluginLease<>(service, () -> ungetQuietly(r));
            }
        }
        if (!candidates.isEmpty()) {
            // the service is registered but the framework could not give it to us (a failed activation)
            throw new ServiceException("the service could not be obtained (see the log)", ServiceException.FACTORY_ERROR);
        }
        throw PluginNotFoundException.of(kind, ref, known(type));
    }

    /** @return the references of every plugin of the type, as {@code name} or {@code name/type} */
    private Collection<String> known(Class<?> type) {
        TreeSet<String> names = new TreeSet<>();
        for (ServiceReference<?> r : references(type, "(" + PluginProperties.NAME + "=*)")) {
            names.add(new PluginRef(String.valueOf(r.getProperty(PluginProperties.NAME)), subType(r)).toString());
        }
        return names;
    }

    /**
     * Every service that carries a plugin name, one entry per plugin interface it is registered
     * under (other interfaces are listed by class name).
     *
     * @return the entries, unsorted
     */
    List<PluginEntry> entries() {
        ServiceReference<?>[] refs;
        try {
            refs = context.getAllServiceReferences(null, "(" + PluginProperties.NAME + "=*)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<PluginEntry> entries = new ArrayList<>();
        for (ServiceReference<?> r : refs == null ? new ServiceReference<?>[0] : refs) {
            Bundle bundle = r.getBundle();
            if (bundle == null) {
                continue; // unregistered meanwhile
            }
            boolean imported = isTrue(r.getProperty(PluginProperties.IMPORTED));
            Object socket = r.getProperty(PluginProperties.SOCKET);
            String origin = imported ? "imported" : bundle.getSymbolicName();
            Object classes = r.getProperty(Constants.OBJECTCLASS);
            for (String objectClass : classes instanceof String[] a ? a : new String[] {String.valueOf(classes)}) {
                PluginKind kind = PluginKind.ofClassName(objectClass);
                entries.add(new PluginEntry(String.valueOf(r.getProperty(PluginProperties.NAME)), subType(r),
                        kind == null ? objectClass : kind.api().toString(),
                        socket == null ? null : socket.toString(), origin, imported, null));
            }
        }
        return entries;
    }

    private <T> Collection<ServiceReference<T>> references(Class<T> type, String filter) {
        try {
            return context.getServiceReferences(type, filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("bad filter " + filter, e);
        }
    }

    private void ungetQuietly(ServiceReference<?> r) {
        try {
            context.ungetService(r);
        } catch (IllegalStateException e) {
            // our bundle is stopping: the framework releases the service itself
        }
    }

    private static String subType(ServiceReference<?> r) {
        Object t = r.getProperty(PluginProperties.TYPE);
        return t == null ? "" : t.toString();
    }

    private static boolean isTrue(Object value) {
        return value instanceof Boolean b ? b : value != null && "true".equalsIgnoreCase(value.toString());
    }

    /** Escapes the characters that are special in an LDAP filter value. */
    static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '(' || c == ')' || c == '*') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
