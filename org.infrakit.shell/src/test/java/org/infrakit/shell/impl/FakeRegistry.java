package org.infrakit.shell.impl;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Just enough of a service registry behind a {@link BundleContext} for the lookup and Gogo's
 * {@code help}: registration with properties, filters (the OSGi reference implementation's),
 * ranking order, get/unget counting. Not a framework: there are no events and no class spaces.
 */
final class FakeRegistry {
    private final List<Entry> entries = new ArrayList<>();
    private long nextId = 1;
    int gets;
    int ungets;

    private final class Entry {
        final Object service;
        final Map<String, Object> props;
        final Bundle bundle;
        final ServiceReference<?> ref;

        Entry(Object service, Map<String, Object> props, Bundle bundle) {
            this.service = service;
            this.props = props;
            this.bundle = bundle;
            this.ref = (ServiceReference<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ServiceReference.class}, (p, m, a) -> switch (m.getName()) {
                        case "getProperty" -> props.get((String) a[0]);
                        case "getPropertyKeys" -> props.keySet().toArray(new String[0]);
                        case "getProperties" -> new Hashtable<>(props);
                        case "getBundle" -> this.bundle;
                        case "isAssignableTo" -> true;
                        case "compareTo" -> compare(this, entryOf(a[0]));
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == a[0];
                        case "toString" -> "ref" + props;
                        default -> null;
                    });
        }
    }

    /** Registers a service from a bundle with the given symbolic name. */
    FakeRegistry register(Object service, String bsn, Map<String, Object> props, Class<?>... classes) {
        Map<String, Object> all = new HashMap<>(props);
        String[] names = new String[classes.length];
        for (int i = 0; i < classes.length; i++) {
            names[i] = classes[i].getName();
        }
        all.put(Constants.OBJECTCLASS, names);
        all.put(Constants.SERVICE_ID, nextId++);
        entries.add(new Entry(service, all, bundle(bsn)));
        return this;
    }

    /** Unregisters a service object (by identity). */
    void unregister(Object service) {
        entries.removeIf(e -> e.service == service);
    }

    BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (p, m, a) -> switch (m.getName()) {
                    case "getServiceReferences" -> a[0] instanceof Class<?> c
                            ? find(c.getName(), (String) a[1])
                            : array(find((String) a[0], (String) a[1]));
                    case "getAllServiceReferences" -> array(find((String) a[0], (String) a[1]));
                    case "getService" -> {
                        gets++;
                        yield entryOf(a[0]).service;
                    }
                    case "ungetService" -> {
                        ungets++;
                        yield true;
                    }
                    case "createFilter" -> FrameworkUtil.createFilter((String) a[0]);
                    case "getBundle" -> bundle("system");
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    default -> null;
                });
    }

    private Collection<ServiceReference<?>> find(String clazz, String filter) throws InvalidSyntaxException {
        Filter f = filter == null ? null : FrameworkUtil.createFilter(filter);
        List<ServiceReference<?>> found = new ArrayList<>();
        for (Entry e : entries) {
            boolean classOk = clazz == null || List.of((String[]) e.props.get(Constants.OBJECTCLASS)).contains(clazz);
            if (classOk && (f == null || f.matches(e.props))) {
                found.add(e.ref);
            }
        }
        return found;
    }

    private static ServiceReference<?>[] array(Collection<ServiceReference<?>> refs) {
        return refs.isEmpty() ? null : refs.toArray(new ServiceReference<?>[0]);
    }

    private Entry entryOf(Object ref) {
        return entries.stream().filter(e -> e.ref == ref).findFirst().orElseThrow();
    }

    /** ServiceReference order: higher ranking is greater; with equal ranking the lower ID is greater. */
    private static int compare(Entry a, Entry b) {
        int ra = a.props.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
        int rb = b.props.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        return Long.compare((Long) b.props.get(Constants.SERVICE_ID), (Long) a.props.get(Constants.SERVICE_ID));
    }

    private static Bundle bundle(String bsn) {
        return (Bundle) Proxy.newProxyInstance(FakeRegistry.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getSymbolicName" -> bsn;
                    case "getBundleId" -> 0L;
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    default -> null;
                });
    }
}
