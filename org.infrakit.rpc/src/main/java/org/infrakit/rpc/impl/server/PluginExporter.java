package org.infrakit.rpc.impl.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.infrakit.rpc.ExportedPlugin;
import org.infrakit.rpc.PluginProblem;
import org.infrakit.rpc.impl.PluginKind;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginProperties;
import org.infrakit.spi.PluginRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves local plugin services on sockets: one socket per {@code infrakit.plugin.name}, all the
 * typed objects of a name on that one socket.
 *
 * <p>Fed with service events (a key identifying the registration, its SPI kind, the object and
 * its properties). Of several services for one name, kind and sub-type, the one with the highest
 * {@code service.ranking}, then the lowest {@code service.id}, serves (the OSGi rule, as in
 * {@code BundleContext.getServiceReference}); the others are reported and wait, and the next one
 * takes over when the serving one goes away. A name whose last service goes
 * away has its socket closed and its file removed. Plain and thread-safe; callers should feed it
 * from one thread, because starting and stopping sockets happens in the calling thread.
 */
public final class PluginExporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginExporter.class);

    private final Path dir;
    private final ServerSettings settings;
    private final String runtimeId;
    private final ServerThreads threads;

    /** A registered service. */
    private record Entry(Object key, PluginKind kind, String type, Object service, String description, int ranking,
            long serviceId) {
        String slot() {
            return kind.spec().name() + (type.isEmpty() ? "" : "/" + type);
        }
    }

    /** Best first: highest {@code service.ranking}, then lowest {@code service.id}. */
    private static final Comparator<Entry> BEST_FIRST = Comparator.comparingInt(Entry::ranking).reversed()
            .thenComparingLong(Entry::serviceId);

    private static final class NameState {
        final List<Entry> entries = new ArrayList<>();
        PluginSocketServer server;
        String problem;
    }

    private final Map<String, NameState> names = new TreeMap<>();
    private final Map<Object, String> nameOfKey = new HashMap<>();
    private final Map<Object, PluginProblem> invalid = new LinkedHashMap<>();
    private final Set<String> served = ConcurrentHashMap.newKeySet();
    private volatile List<ExportedPlugin> exported = List.of();
    private volatile List<PluginProblem> notExported = List.of();
    private boolean closed;

    /**
     * @param dir the plugins directory, existing with mode 0700
     * @param settings how sockets are served
     * @param runtimeId the id every response carries
     * @param threads the threads the sockets share; owned by the caller
     */
    public PluginExporter(Path dir, ServerSettings settings, String runtimeId, ServerThreads threads) {
        this.dir = dir;
        this.settings = settings;
        this.runtimeId = runtimeId;
        this.threads = threads;
    }

    /**
     * A plugin service appeared.
     *
     * @param key identifies the registration (e.g. its service id) in later calls
     * @param kind the SPI interface it is registered under
     * @param service the plugin object, an instance of {@code kind.type()}
     * @param properties its service properties
     */
    public synchronized void add(Object key, PluginKind kind, Object service, Map<String, ?> properties) {
        if (closed || nameOfKey.containsKey(key) || invalid.containsKey(key)) {
            return;
        }
        String description = describe(key, service, properties);
        Object nameValue = single(properties.get(PluginProperties.NAME));
        String name = nameValue instanceof String s ? s : null;
        String problem = nameValue == null
                ? "it has no " + PluginProperties.NAME + " property, the name its socket would have"
                : name == null ? "its " + PluginProperties.NAME + " is not a single string: " + nameValue
                : PluginRef.nameProblem(name);
        if (problem == null) {
            problem = SocketFiles.pathProblem(dir, name);
        }
        if (problem == null && !kind.type().isInstance(service)) {
            problem = "it is not a " + kind.type().getSimpleName();
        }
        if (problem != null) {
            LOG.warn("Not serving {}: {}", description, problem);
            invalid.put(key, new PluginProblem(String.valueOf(nameValue), null, problem));
            publish();
            return;
        }
        Object typeValue = single(properties.get(PluginProperties.TYPE));
        String type = typeValue == null ? "" : String.valueOf(typeValue);
        if (!kind.typed() && !type.isEmpty()) {
            LOG.info("{}: group plugins have no sub-types; {}={} is ignored", description, PluginProperties.TYPE, type);
            type = "";
        }
        Entry entry = new Entry(key, kind, type, service, description, ranking(properties),
                serviceId(properties, key));
        NameState state = names.computeIfAbsent(name, n -> new NameState());
        Entry before = holder(state, entry.slot());
        state.entries.add(entry);
        if (before != null) {
            if (holder(state, entry.slot()) == entry) {
                LOG.info("{} takes over plugin '{}' ({}) from {}, which ranks lower and waits", description, name,
                        entry.slot(), before.description());
            } else {
                LOG.warn("{} also registers plugin '{}' ({}), which {} serves already; it waits, and takes over "
                        + "if that one goes away", description, name, entry.slot(), before.description());
            }
        }
        nameOfKey.put(key, name);
        reconcile(name, state);
        publish();
    }

    /**
     * A plugin service's properties changed: a new name or sub-type moves it, anything else is
     * ignored.
     *
     * @param key as given to {@link #add}
     * @param kind the SPI interface
     * @param service the plugin object
     * @param properties the new properties
     */
    public synchronized void modify(Object key, PluginKind kind, Object service, Map<String, ?> properties) {
        String name = nameOfKey.get(key);
        if (name != null) {
            Entry old = names.get(name).entries.stream().filter(e -> e.key().equals(key)).findFirst().orElseThrow();
            Object type = single(properties.get(PluginProperties.TYPE));
            String newType = type == null || !kind.typed() ? "" : String.valueOf(type);
            if (name.equals(single(properties.get(PluginProperties.NAME))) && old.type().equals(newType)
                    && old.ranking() == ranking(properties)) {
                return;
            }
        }
        remove(key);
        add(key, kind, service, properties);
    }

    /**
     * A plugin service went away: its slot is taken by a waiting service, or its socket closes
     * when it was the name's last one (requests in flight finish first).
     *
     * @param key as given to {@link #add}
     */
    public synchronized void remove(Object key) {
        if (invalid.remove(key) != null) {
            publish();
        }
        String name = nameOfKey.remove(key);
        if (name == null || closed) {
            return;
        }
        NameState state = names.get(name);
        Entry gone = null;
        for (Entry e : state.entries) {
            if (e.key().equals(key)) {
                gone = e;
            }
        }
        if (gone != null) {
            boolean wasServing = holder(state, gone.slot()) == gone;
            state.entries.remove(gone);
            Entry next = holder(state, gone.slot());
            if (wasServing && next != null) {
                LOG.info("Plugin '{}' ({}) is now served by {}", name, next.slot(), next.description());
            }
        }
        reconcile(name, state);
        publish();
    }

    /** Tries again to serve the names whose socket could not be served (a live process had it). */
    public synchronized void retry() {
        if (closed) {
            return;
        }
        boolean changed = false;
        for (Map.Entry<String, NameState> e : new ArrayList<>(names.entrySet())) {
            if (e.getValue().server == null) {
                reconcile(e.getKey(), e.getValue());
                changed = true;
            }
        }
        if (changed) {
            publish();
        }
    }

    /** @param name a plugin name @return whether this exporter holds its socket right now */
    public boolean serves(String name) {
        return served.contains(name);
    }

    /** @return one entry per name, sorted */
    public List<ExportedPlugin> exported() {
        return exported;
    }

    /** @return services not served: invalid names and services waiting behind another */
    public List<PluginProblem> notExported() {
        return notExported;
    }

    private void reconcile(String name, NameState state) {
        PluginObjects objects = objectsOf(state);
        if (objects.isEmpty()) {
            if (state.server != null) {
                served.remove(name);
                state.server.close();
            }
            names.remove(name);
            return;
        }
        if (state.server != null) {
            state.server.update(objects);
            return;
        }
        try {
            state.server = PluginSocketServer.start(name, dir, objects, settings, runtimeId, threads);
            served.add(name);
            state.problem = null;
        } catch (IOException e) {
            String problem = e.getMessage();
            if (!Objects.equals(problem, state.problem)) {
                LOG.warn("{}", problem);
            }
            state.problem = problem;
        }
    }

    /** @return the serving entry of a slot, or {@code null} when it has none */
    private static Entry holder(NameState state, String slot) {
        Entry best = null;
        for (Entry e : state.entries) {
            if (e.slot().equals(slot) && (best == null || BEST_FIRST.compare(e, best) < 0)) {
                best = e;
            }
        }
        return best;
    }

    /** @return the serving entry of every slot, by slot */
    private static Map<String, Entry> holders(NameState state) {
        Map<String, Entry> best = new HashMap<>();
        for (Entry e : state.entries) {
            best.merge(e.slot(), e, (a, b) -> BEST_FIRST.compare(a, b) <= 0 ? a : b);
        }
        return best;
    }

    private static PluginObjects objectsOf(NameState state) {
        GroupPlugin group = null;
        Map<String, InstancePlugin> instances = new HashMap<>();
        Map<String, FlavorPlugin> flavors = new HashMap<>();
        for (Entry e : holders(state).values()) {
            switch (e.kind()) {
                case GROUP -> group = (GroupPlugin) e.service();
                case INSTANCE -> instances.put(e.type(), (InstancePlugin) e.service());
                case FLAVOR -> flavors.put(e.type(), (FlavorPlugin) e.service());
            }
        }
        return PluginObjects.of(group, instances, flavors);
    }

    private void publish() {
        List<ExportedPlugin> ex = new ArrayList<>();
        List<PluginProblem> problems = new ArrayList<>(invalid.values());
        for (Map.Entry<String, NameState> e : names.entrySet()) {
            NameState s = e.getValue();
            Path socket = dir.resolve(e.getKey());
            ex.add(new ExportedPlugin(e.getKey(), socket, objectsOf(s).describe(), s.server == null ? s.problem : null));
            Map<String, Entry> serving = holders(s);
            for (Entry entry : s.entries) {
                Entry holder = serving.get(entry.slot());
                if (holder != entry) {
                    problems.add(new PluginProblem(e.getKey(), socket, entry.description() + " waits: " + entry.slot()
                            + " is served by " + holder.description()));
                }
            }
        }
        problems.sort((a, b) -> a.name().compareTo(b.name()));
        exported = List.copyOf(ex);
        notExported = List.copyOf(problems);
    }

    private static Object single(Object value) {
        if (value instanceof String[] a && a.length == 1) {
            return a[0];
        }
        if (value instanceof java.util.Collection<?> c && c.size() == 1) {
            return c.iterator().next();
        }
        return value;
    }

    private static int ranking(Map<String, ?> properties) {
        return properties.get("service.ranking") instanceof Integer i ? i : 0;
    }

    private static long serviceId(Map<String, ?> properties, Object key) {
        if (properties.get("service.id") instanceof Number n) {
            return n.longValue();
        }
        return key instanceof Number n ? n.longValue() : Long.MAX_VALUE;
    }

    private static String describe(Object key, Object service, Map<String, ?> properties) {
        Object id = properties.get("service.id");
        Object component = properties.get("component.name");
        StringBuilder b = new StringBuilder("service ");
        b.append(id != null ? id : key);
        b.append(" (").append(component != null ? component : service.getClass().getName()).append(')');
        return b.toString();
    }

    /** Closes every socket this exporter made and removes their files. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (NameState s : names.values()) {
            if (s.server != null) {
                s.server.close();
            }
        }
        names.clear();
        nameOfKey.clear();
        invalid.clear();
        served.clear();
        publish();
    }
}
