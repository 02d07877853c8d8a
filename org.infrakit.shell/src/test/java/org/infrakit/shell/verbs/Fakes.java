package org.infrakit.shell.verbs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.infrakit.spi.Allocation;
import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.GroupDescription;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.Health;
import org.infrakit.spi.Index;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginRef;
import org.infrakit.spi.RawJson;
import org.infrakit.spi.Tags;

/** In-memory plugins and a lookup over them, recording what they were called with. */
public final class Fakes {
    private Fakes() {
    }

    /** A lookup over registered plugins; counts leases so tests can see every one is closed. */
    public static final class Lookup implements PluginLookup {
        private final Map<String, Object> plugins = new LinkedHashMap<>();
        public int opened;
        public int closed;

        public Lookup add(PluginKind kind, String ref, Object plugin) {
            plugins.put(kind + " " + ref, plugin);
            return this;
        }

        @Override
        public <T> PluginLease<T> open(Class<T> type, PluginRef ref) throws PluginNotFoundException {
            PluginKind kind = PluginKind.of(type);
            Object p = plugins.get(kind + " " + ref);
            if (p == null) {
                List<String> known = new ArrayList<>();
                plugins.keySet().stream().filter(k -> k.startsWith(kind + " "))
                        .forEach(k -> known.add(k.substring(kind.toString().length() + 1)));
                throw PluginNotFoundException.of(kind, ref, known);
            }
            opened++;
            return new PluginLease<>(type.cast(p), () -> closed++);
        }
    }

    /** A group plugin keeping specs in a map; describe returns what {@link #members} holds. */
    public static class Group implements GroupPlugin {
        public final Map<String, GroupSpec> specs = new TreeMap<>();
        public final Map<String, GroupDescription> members = new TreeMap<>();
        public final List<String> calls = new ArrayList<>();

        @Override
        public String commitGroup(GroupSpec spec, boolean pretend) throws PluginException {
            calls.add("commit " + spec.id() + " " + pretend);
            if (spec.id().isBlank()) {
                throw new PluginException("Group ID must not be blank");
            }
            if (!pretend) {
                specs.put(spec.id(), spec);
            }
            return "Managing 5 instances";
        }

        @Override
        public void freeGroup(String id) throws PluginException {
            calls.add("free " + id);
            if (specs.remove(id) == null) {
                throw new PluginException("Group '" + id + "' is not being watched");
            }
        }

        @Override
        public GroupDescription describeGroup(String id) throws PluginException {
            calls.add("describe " + id);
            if (!specs.containsKey(id)) {
                throw new PluginException("Group '" + id + "' is not being watched");
            }
            return members.getOrDefault(id, new GroupDescription(List.of(), true));
        }

        @Override
        public void destroyGroup(String id) throws PluginException {
            calls.add("destroy " + id);
            if (specs.remove(id) == null) {
                throw new PluginException("Group '" + id + "' is not being watched");
            }
        }

        @Override
        public List<GroupSpec> inspectGroups() {
            calls.add("inspect");
            return new ArrayList<>(specs.values());
        }
    }

    /** An instance plugin keeping descriptions in a map; IDs instance-1, instance-2, … */
    public static class Instance implements InstancePlugin {
        public final Map<String, InstanceDescription> instances = new TreeMap<>();
        public final List<String> calls = new ArrayList<>();
        public Map<String, String> lastFilter;
        public boolean lastProperties;
        private int next = 1;

        @Override
        public void validate(RawJson properties) throws PluginException {
            calls.add("validate " + properties);
            if (properties == null || !properties.isObject()) {
                throw new PluginException("json: cannot unmarshal array into Go value of type main.Spec");
            }
        }

        @Override
        public String provision(InstanceSpec spec) {
            String id = "instance-" + next++;
            calls.add("provision " + id);
            instances.put(id, InstanceDescription.of(id, spec.logicalID(), spec.tags(), RawJson.from(spec)));
            return id;
        }

        @Override
        public void label(String instance, Map<String, String> labels) throws PluginException {
            calls.add("label " + instance + " " + labels);
            InstanceDescription d = instances.get(instance);
            if (d == null) {
                throw new PluginException("instance " + instance + " not found");
            }
            Map<String, String> tags = new TreeMap<>(d.tags() == null ? Map.of() : d.tags());
            tags.putAll(labels);
            instances.put(instance, InstanceDescription.of(instance, d.logicalID(), tags, d.properties()));
        }

        @Override
        public void destroy(String instance, DestroyContext context) throws PluginException {
            calls.add("destroy " + instance + " " + context.reason());
            if (instances.remove(instance) == null) {
                throw new PluginException("instance " + instance + " not found");
            }
        }

        @Override
        public List<InstanceDescription> describeInstances(Map<String, String> tags, boolean properties) {
            lastFilter = tags;
            lastProperties = properties;
            return instances.values().stream().filter(d -> Tags.matches(d.tags(), tags))
                    .map(d -> properties ? d : InstanceDescription.of(d.id(), d.logicalID(), d.tags(), null))
                    .toList();
        }

        public InstanceDescription put(String id, String logical, Map<String, String> tags) {
            InstanceDescription d = InstanceDescription.of(id, logical, tags, null);
            instances.put(id, d);
            return d;
        }
    }

    /** A flavor plugin like vanilla: prepare adds the properties' Tags; health from a map. */
    public static class Flavor implements FlavorPlugin {
        public final List<String> calls = new ArrayList<>();
        public final Map<String, Health> health = new TreeMap<>();
        public Allocation lastAllocation;
        public Index lastIndex;
        public List<InstanceDescription> seen = new ArrayList<>();

        @Override
        public void validate(RawJson properties, Allocation allocation) throws PluginException {
            calls.add("validate " + properties);
            lastAllocation = allocation;
            if (properties != null && !properties.isObject()) {
                throw new PluginException("json: cannot unmarshal string into Go value of type vanilla.Spec");
            }
        }

        @Override
        public InstanceSpec prepare(RawJson properties, InstanceSpec spec, Allocation allocation, Index index)
                throws PluginException {
            lastAllocation = allocation;
            lastIndex = index;
            Map<String, String> tags = new TreeMap<>(spec.tags() == null ? Map.of() : spec.tags());
            if (properties != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> props = properties.decode(Map.class);
                Object t = props.get("Tags");
                if (t instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> tags.put(k.toString(), v.toString()));
                }
            }
            return spec.withTags(tags);
        }

        @Override
        public Health healthy(RawJson properties, InstanceDescription instance) throws PluginException {
            seen.add(instance);
            Health h = health.get(instance.id());
            if (h == null) {
                throw new PluginException("no health for " + instance.id());
            }
            return h;
        }

        @Override
        public void drain(RawJson properties, InstanceDescription instance) throws PluginException {
            seen.add(instance);
            if (instance.id().startsWith("bad")) {
                throw new PluginException("cannot drain " + instance.id());
            }
        }
    }
}
