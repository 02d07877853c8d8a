package org.infrakit.reliability;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.infrakit.spi.RawJson;
import org.infrakit.rpc.message.FlavorMessages;
import org.infrakit.rpc.message.GroupMessages;
import org.infrakit.rpc.message.InstanceMessages;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON-RPC methods of the default plugins, and the members of their params derived by
 * reflection from the SPI's message records (the records the dispatcher decodes into), with a
 * valid sample value for each and values of every wrong JSON type.
 */
final class WireSchema {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** How a member is typed on the wire. */
    enum Kind {
        STRING, BOOLEAN, INTEGER, MAP, LIST, OBJECT, RAW
    }

    /**
     * @param name {@code Service.Method}
     * @param socket the default plugin serving it
     * @param params its params record
     */
    record Method(String name, String socket, Class<?> params) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A member of a method's params, at any depth.
     *
     * @param method the method
     * @param path the names from the params object down ({@code [0]} for a list element,
     *     {@code k} for a map value)
     * @param kind its wire type
     */
    record Member(Method method, List<String> path, Kind kind) {
        /** @return the path as the decoder names it, e.g. {@code Spec.Attachments[0].ID} */
        String dotted() {
            StringBuilder b = new StringBuilder();
            for (String s : path) {
                if (!s.startsWith("[") && b.length() > 0) {
                    b.append('.');
                }
                b.append(s);
            }
            return b.toString();
        }

        @Override
        public String toString() {
            return method.name() + " " + dotted() + " (" + kind + ")";
        }
    }

    /** Every method with params, as JsonRpcDispatcher maps them (its table is private). */
    static final List<Method> METHODS = List.of(
            new Method("Group.CommitGroup", PluginHost.GROUP, GroupMessages.CommitGroupRequest.class),
            new Method("Group.FreeGroup", PluginHost.GROUP, GroupMessages.GroupIdRequest.class),
            new Method("Group.DescribeGroup", PluginHost.GROUP, GroupMessages.GroupIdRequest.class),
            new Method("Group.DestroyGroup", PluginHost.GROUP, GroupMessages.GroupIdRequest.class),
            new Method("Group.InspectGroups", PluginHost.GROUP, GroupMessages.InspectGroupsRequest.class),
            new Method("Instance.Validate", PluginHost.INSTANCE, InstanceMessages.ValidateRequest.class),
            new Method("Instance.Provision", PluginHost.INSTANCE, InstanceMessages.ProvisionRequest.class),
            new Method("Instance.Label", PluginHost.INSTANCE, InstanceMessages.LabelRequest.class),
            new Method("Instance.Destroy", PluginHost.INSTANCE, InstanceMessages.DestroyRequest.class),
            new Method("Instance.DescribeInstances", PluginHost.INSTANCE,
                    InstanceMessages.DescribeInstancesRequest.class),
            new Method("Flavor.Validate", PluginHost.FLAVOR, FlavorMessages.ValidateRequest.class),
            new Method("Flavor.Prepare", PluginHost.FLAVOR, FlavorMessages.PrepareRequest.class),
            new Method("Flavor.Healthy", PluginHost.FLAVOR, FlavorMessages.InstanceRequest.class),
            new Method("Flavor.Drain", PluginHost.FLAVOR, FlavorMessages.InstanceRequest.class));

    /** Methods without params, served on every socket. */
    static final List<String> HANDSHAKES = List.of("Handshake.Implements", "Handshake.Types", "Plugin.Implements");

    /** The classes whose nested {@code *Request} records are params. */
    static final List<Class<?>> MESSAGE_CLASSES = List.of(GroupMessages.class, InstanceMessages.class,
            FlavorMessages.class);

    private WireSchema() {
    }

    /** @return every member of every method's params */
    static List<Member> members() {
        List<Member> out = new ArrayList<>();
        for (Method m : METHODS) {
            collect(m, m.params(), List.of(), out);
        }
        return out;
    }

    private static void collect(Method m, Class<?> record, List<String> prefix, List<Member> out) {
        for (RecordComponent c : record.getRecordComponents()) {
            List<String> path = append(prefix, wireName(c));
            collectType(m, c.getGenericType(), path, out);
        }
    }

    private static void collectType(Method m, Type type, List<String> path, List<Member> out) {
        Kind kind = kindOf(type);
        out.add(new Member(m, path, kind));
        switch (kind) {
            case OBJECT -> collect(m, raw(type), path, out);
            case LIST -> collectType(m, typeArgument(type, 0), append(path, "[0]"), out);
            case MAP -> collectType(m, typeArgument(type, 1), append(path, "k"), out);
            default -> {
                // a leaf
            }
        }
    }

    /** @return a valid params object for the method */
    static ObjectNode sample(Method m) {
        ObjectNode o = (ObjectNode) sampleOf(m.params(), "");
        if (m.name().equals("Group.CommitGroup")) {
            o.put("Pretend", true); // decoding is what is under test, not committing
        }
        return o;
    }

    private static JsonNode sampleOf(Type type, String name) {
        return switch (kindOf(type)) {
            case STRING -> F.textNode(name.equals("Type") ? "" : "x");
            case BOOLEAN -> F.booleanNode(false);
            case INTEGER -> F.numberNode(1L);
            case RAW -> F.objectNode();
            case MAP -> F.objectNode().set("k", sampleOf(typeArgument(type, 1), "k"));
            case LIST -> F.arrayNode().add(sampleOf(typeArgument(type, 0), name));
            case OBJECT -> {
                ObjectNode o = F.objectNode();
                for (RecordComponent c : raw(type).getRecordComponents()) {
                    o.set(wireName(c), sampleOf(c.getGenericType(), wireName(c)));
                }
                yield o;
            }
        };
    }

    /**
     * @param base a params object
     * @param path where to put the value (every step exists in {@link #sample})
     * @param value the value
     * @return a copy of {@code base} with the value at the path
     */
    static ObjectNode substitute(ObjectNode base, List<String> path, JsonNode value) {
        ObjectNode copy = base.deepCopy();
        JsonNode parent = copy;
        for (int i = 0; i < path.size() - 1; i++) {
            String s = path.get(i);
            parent = s.equals("[0]") ? parent.get(0) : parent.get(s);
        }
        String last = path.get(path.size() - 1);
        if (last.equals("[0]")) {
            ((ArrayNode) parent).set(0, value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
        return copy;
    }

    /** @param kind a wire type @return values of every other JSON type (and ones out of range) */
    static List<JsonNode> wrongValues(Kind kind) {
        JsonNode string = F.textNode("1");
        JsonNode empty = F.textNode("");
        JsonNode integer = F.numberNode(1);
        JsonNode decimal = F.numberNode(1.5);
        JsonNode bool = F.booleanNode(true);
        JsonNode object = F.objectNode().put("a", 1);
        JsonNode array = F.arrayNode().add(1);
        return switch (kind) {
            case STRING -> List.of(integer, decimal, bool, object, array, F.arrayNode(), F.objectNode());
            case BOOLEAN -> List.of(string, empty, integer, F.numberNode(0), object, array);
            case INTEGER -> List.of(string, empty, decimal, bool, object, array, F.numberNode(1e3),
                    F.numberNode(new java.math.BigInteger("18446744073709551616")));
            case MAP -> List.of(string, empty, integer, bool, array, F.arrayNode());
            case LIST -> List.of(string, empty, integer, bool, object, F.objectNode());
            case OBJECT -> List.of(string, empty, integer, decimal, bool, array, F.arrayNode());
            case RAW -> List.of(string, integer, bool, array, object, F.nullNode());
        };
    }

    private static Kind kindOf(Type type) {
        Class<?> c = raw(type);
        if (c == String.class) {
            return Kind.STRING;
        }
        if (c == boolean.class || c == Boolean.class) {
            return Kind.BOOLEAN;
        }
        if (c == long.class || c == int.class || c == Long.class || c == Integer.class) {
            return Kind.INTEGER;
        }
        if (c == RawJson.class) {
            return Kind.RAW;
        }
        if (Map.class.isAssignableFrom(c)) {
            return Kind.MAP;
        }
        if (Collection.class.isAssignableFrom(c)) {
            return Kind.LIST;
        }
        if (c.isRecord()) {
            return Kind.OBJECT;
        }
        throw new IllegalStateException("a member type the reliability tests do not know yet: " + type
                + "; add it to WireSchema");
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("unsupported type " + type);
    }

    private static Type typeArgument(Type type, int i) {
        return ((ParameterizedType) type).getActualTypeArguments()[i];
    }

    private static String wireName(RecordComponent c) {
        // @JsonProperty does not target record components: it lands on the accessor (and field)
        JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
        return p != null && !p.value().isEmpty() ? p.value() : c.getName();
    }

    private static List<String> append(List<String> path, String s) {
        List<String> out = new ArrayList<>(path);
        out.add(s);
        return List.copyOf(out);
    }
}
