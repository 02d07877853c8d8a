package org.infrakit.group.impl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginProperties;
import org.infrakit.spi.PluginRef;

/**
 * The instance and flavor plugin services registered now, by {@value PluginProperties#NAME} and
 * {@value PluginProperties#TYPE} (absent or empty: the default object); local bundles and imported
 * proxies alike. Of several with one name and type, the highest {@code service.ranking}, then the
 * lowest {@code service.id}, wins, as in {@code BundleContext.getServiceReference}.
 */
public final class PluginRegistry implements PluginLookup {
    private record Key(Class<?> kind, String name, String type) {
    }

    private record Entry(Object service, int ranking, long serviceId) {
    }

    private static final Comparator<Entry> BEST_FIRST = Comparator.comparingInt(Entry::ranking).reversed()
            .thenComparingLong(Entry::serviceId);

    private final Map<Key, List<Entry>> services = new HashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** @param listener told (on the registering thread) whenever a plugin service was added */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    /** Adds a service of {@code kind} ({@code InstancePlugin.class} or {@code FlavorPlugin.class}). */
    public void add(Class<?> kind, Object service, Map<String, ?> properties) {
        List<String> names = strings(properties.get(PluginProperties.NAME));
        if (names.isEmpty()) {
            return;
        }
        String type = first(strings(properties.get(PluginProperties.TYPE)));
        Entry entry = new Entry(service, intValue(properties.get("service.ranking")),
                longValue(properties.get("service.id")));
        synchronized (services) {
            for (String name : names) {
                List<Entry> list = services.computeIfAbsent(new Key(kind, name, type), k -> new ArrayList<>());
                list.add(entry);
                list.sort(BEST_FIRST);
            }
        }
        for (Runnable l : listeners) {
            l.run();
        }
    }

    /** Removes every registration of a service object (by identity), whatever its properties were. */
    public void remove(Class<?> kind, Object service) {
        synchronized (services) {
            services.entrySet().removeIf(e -> {
                if (e.getKey().kind() != kind) {
                    return false;
                }
                e.getValue().removeIf(entry -> entry.service() == service);
                return e.getValue().isEmpty();
            });
        }
    }

    /** Replaces the registration of a service whose properties changed. */
    public void update(Class<?> kind, Object service, Map<String, ?> properties) {
        remove(kind, service);
        add(kind, service, properties);
    }

    @Override
    public InstancePlugin instancePlugin(PluginRef ref) {
        Object s = find(InstancePlugin.class, ref);
        return s instanceof InstancePlugin p ? p : null;
    }

    @Override
    public FlavorPlugin flavorPlugin(PluginRef ref) {
        Object s = find(FlavorPlugin.class, ref);
        return s instanceof FlavorPlugin p ? p : null;
    }

    private Object find(Class<?> kind, PluginRef ref) {
        synchronized (services) {
            List<Entry> list = services.get(new Key(kind, ref.name(), ref.type()));
            return list == null || list.isEmpty() ? null : list.get(0).service();
        }
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof String s) {
            out.add(s);
        } else if (value instanceof String[] array) {
            out.addAll(List.of(array));
        } else if (value instanceof Collection<?> c) {
            for (Object o : c) {
                if (o instanceof String s) {
                    out.add(s);
                }
            }
        }
        out.removeIf(String::isEmpty);
        return out;
    }

    private static String first(List<String> values) {
        return values.isEmpty() ? "" : values.get(0);
    }

    private static int intValue(Object o) {
        return o instanceof Integer i ? i : 0;
    }

    private static long longValue(Object o) {
        return o instanceof Number n ? n.longValue() : Long.MAX_VALUE;
    }
}
