package org.infrakit.rpc.impl.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginException;
import org.infrakit.rpc.json.ProtocolJson;
import org.infrakit.rpc.message.FlavorMessages;
import org.infrakit.rpc.message.GroupMessages;
import org.infrakit.rpc.message.HandshakeMessages;
import org.infrakit.rpc.message.InstanceMessages;
import org.osgi.framework.ServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON-RPC 2.0 endpoint of one socket: decodes a request body, calls the plugin objects the
 * socket serves and encodes the reply exactly as the reference does, with this project's
 * departures (departures D1, D2, D5).
 *
 * <p>Plain and thread-safe: the objects to call are passed with every body, so the socket's
 * owner can swap them while requests are in flight.
 */
public final class JsonRpcDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(JsonRpcDispatcher.class);
    private static final byte[] EMPTY = new byte[0];
    private static final ObjectMapper MAPPER = ProtocolJson.mapper();

    /** JSON-RPC error codes (departures D2). */
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int APPLICATION_ERROR = -32000;

    @FunctionalInterface
    private interface Invoker<P> {
        Object invoke(PluginObjects objects, P params) throws PluginException;
    }

    /** A method: its params record ({@code null}: params are ignored) and what it calls. */
    private record Method<P>(Class<P> params, Invoker<P> invoker) {
    }

    private static final Map<String, Method<?>> METHODS = new HashMap<>();

    private static <P> void method(String name, Class<P> params, Invoker<P> invoker) {
        METHODS.put(name, new Method<>(params, invoker));
    }

    static {
        method("Handshake.Implements", null, (o, p) -> new HandshakeMessages.ImplementsResponse(o.interfaces()));
        method("Handshake.Types", null, (o, p) -> new HandshakeMessages.TypesResponse(o.types()));
        method("Plugin.Implements", null, (o, p) -> new HandshakeMessages.PluginImplementsResponse(o.interfaces()));

        method("Group.CommitGroup", GroupMessages.CommitGroupRequest.class,
                (o, p) -> new GroupMessages.CommitGroupResponse(o.group().commitGroup(p.spec(), p.pretend())));
        method("Group.FreeGroup", GroupMessages.GroupIdRequest.class, (o, p) -> {
            o.group().freeGroup(p.id());
            return GroupMessages.OkResponse.OK;
        });
        method("Group.DescribeGroup", GroupMessages.GroupIdRequest.class,
                (o, p) -> new GroupMessages.DescribeGroupResponse(o.group().describeGroup(p.id())));
        method("Group.DestroyGroup", GroupMessages.GroupIdRequest.class, (o, p) -> {
            o.group().destroyGroup(p.id());
            return GroupMessages.OkResponse.OK;
        });
        method("Group.InspectGroups", GroupMessages.InspectGroupsRequest.class,
                (o, p) -> new GroupMessages.InspectGroupsResponse(o.group().inspectGroups()));

        method("Instance.Validate", InstanceMessages.ValidateRequest.class, (o, p) -> {
            instance(o, p.type()).validate(p.properties());
            return new InstanceMessages.OkResponse(p.type(), true);
        });
        method("Instance.Provision", InstanceMessages.ProvisionRequest.class,
                (o, p) -> new InstanceMessages.ProvisionResponse(p.type(), instance(o, p.type()).provision(p.spec())));
        method("Instance.Label", InstanceMessages.LabelRequest.class, (o, p) -> {
            instance(o, p.type()).label(p.instance(), p.labels());
            return new InstanceMessages.OkResponse(p.type(), true);
        });
        method("Instance.Destroy", InstanceMessages.DestroyRequest.class, (o, p) -> {
            instance(o, p.type()).destroy(p.instance(), p.context());
            return new InstanceMessages.OkResponse(p.type(), true);
        });
        method("Instance.DescribeInstances", InstanceMessages.DescribeInstancesRequest.class,
                (o, p) -> new InstanceMessages.DescribeInstancesResponse(p.type(),
                        instance(o, p.type()).describeInstances(p.tags(), p.properties())));

        method("Flavor.Validate", FlavorMessages.ValidateRequest.class, (o, p) -> {
            flavor(o, p.type()).validate(p.properties(), p.allocation());
            return new InstanceMessages.OkResponse(p.type(), true);
        });
        method("Flavor.Prepare", FlavorMessages.PrepareRequest.class,
                (o, p) -> new FlavorMessages.PrepareResponse(p.type(),
                        flavor(o, p.type()).prepare(p.properties(), p.spec(), p.allocation(), p.index())));
        method("Flavor.Healthy", FlavorMessages.InstanceRequest.class,
                (o, p) -> new FlavorMessages.HealthyResponse(p.type(),
                        flavor(o, p.type()).healthy(p.properties(), p.instance())));
        method("Flavor.Drain", FlavorMessages.InstanceRequest.class, (o, p) -> {
            flavor(o, p.type()).drain(p.properties(), p.instance());
            return new InstanceMessages.OkResponse(p.type(), true);
        });
    }

    private static InstancePlugin instance(PluginObjects o, String type) throws PluginException {
        InstancePlugin p = o.instances().get(type);
        if (p == null) {
            throw new PluginException("no-plugin:" + type);
        }
        return p;
    }

    private static FlavorPlugin flavor(PluginObjects o, String type) throws PluginException {
        FlavorPlugin p = o.flavors().get(type);
        if (p == null) {
            throw new PluginException("no-plugin:" + type);
        }
        return p;
    }

    private static boolean serviceExists(String service, PluginObjects o) {
        return switch (service) {
            case "Handshake", "Plugin" -> true;
            case "Group" -> o.group() != null;
            case "Instance" -> !o.instances().isEmpty();
            case "Flavor" -> !o.flavors().isEmpty();
            default -> false;
        };
    }

    /**
     * One request object as sent. {@code id == null} means a notification; a JSON {@code null} id
     * is the text {@code "null"} (a request, departures D2).
     */
    private record Envelope(String jsonrpc, String method, String params, String id, String typeError) {
    }

    private final String socketName;
    private final ObjectMapper results;

    /** @param socketName the plugin name of the socket, for log lines */
    public JsonRpcDispatcher(String socketName) {
        this(socketName, MAPPER);
    }

    /**
     * @param socketName the plugin name of the socket, for log lines
     * @param results writes results (the protocol's mapper; a test swaps in one that fails)
     */
    JsonRpcDispatcher(String socketName, ObjectMapper results) {
        this.socketName = socketName;
        this.results = results;
    }

    /**
     * Answers one {@code Plugin.Implements} request without a socket, so the JSON codec (building
     * the Jackson mapper, its parser and serializers) is ready before the first client calls: run by
     * the bridge on a thread of its own while its first socket server starts, which takes that work
     * off the start-up's critical path.
     *
     * @return the answer (a JSON-RPC result naming no interfaces)
     */
    public static String warmUp() {
        byte[] answer = new JsonRpcDispatcher("warm-up").dispatch(PluginObjects.EMPTY,
                "{\"jsonrpc\":\"2.0\",\"method\":\"Plugin.Implements\",\"params\":{},\"id\":0}"
                        .getBytes(StandardCharsets.UTF_8));
        return new String(answer, StandardCharsets.UTF_8);
    }

    /**
     * Handles one HTTP request body.
     *
     * @param objects the objects to call
     * @param body the request body
     * @return the response body: compact JSON and a newline, or empty when nothing is to be
     *     answered (notifications)
     */
    public byte[] dispatch(PluginObjects objects, byte[] body) {
        List<Object> requests = new ArrayList<>();
        boolean batch;
        try (JsonParser p = ProtocolJson.factory().createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return line(error("null", PARSE_ERROR, "parse error", null));
            }
            batch = t == JsonToken.START_ARRAY;
            if (batch) {
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw new JsonEndException();
                    }
                    if (t == JsonToken.START_OBJECT) {
                        requests.add(readEnvelope(p, body));
                    } else {
                        p.skipChildren();
                        requests.add(INVALID_ELEMENT);
                    }
                }
                if (requests.isEmpty()) {
                    return line(error("null", INVALID_REQUEST, "invalid request: empty batch", null));
                }
            } else if (t == JsonToken.START_OBJECT) {
                requests.add(readEnvelope(p, body));
            } else {
                return line(error("null", INVALID_REQUEST,
                        "invalid request: expected an object or an array of objects", null));
            }
            // Anything after the first JSON value is ignored, as the reference does.
        } catch (IOException | JsonEndException e) {
            return line(error("null", PARSE_ERROR, "parse error", null));
        }

        if (!batch) {
            String answer = handle(objects, (Envelope) requests.get(0));
            return answer == null ? EMPTY : line(answer);
        }
        StringBuilder out = new StringBuilder();
        for (Object r : requests) {
            String answer = r == INVALID_ELEMENT
                    ? error("null", INVALID_REQUEST, "invalid request: a batch element must be an object", null)
                    : handle(objects, (Envelope) r);
            if (answer != null) {
                out.append(out.length() == 0 ? '[' : ',').append(answer);
            }
        }
        return out.length() == 0 ? EMPTY : line(out.append(']').toString());
    }

    private static final Object INVALID_ELEMENT = new Object();

    /** Thrown when the input ends inside a value. */
    private static final class JsonEndException extends Exception {
        private static final long serialVersionUID = 1L;

        JsonEndException() {
            super(null, null, false, false);
        }
    }

    private static byte[] line(String json) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        byte[] b = java.util.Arrays.copyOf(utf8, utf8.length + 1);
        b[utf8.length] = '\n';
        return b;
    }

    /**
     * Reads one request object, the parser standing on its START_OBJECT. Member names match
     * case-insensitively and the last of duplicates wins (Go's decoder); a member of the wrong
     * JSON type is remembered as the reference's decode error, and decoding goes on.
     */
    private static Envelope readEnvelope(JsonParser p, byte[] body) throws IOException, JsonEndException {
        String jsonrpc = "";
        String method = "";
        String params = null;
        String id = null;
        String typeError = null;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            if (t == null) {
                throw new JsonEndException();
            }
            String name = p.currentName();
            t = p.nextToken();
            if (t == null) {
                throw new JsonEndException();
            }
            switch (name.toLowerCase(Locale.ROOT)) {
                case "jsonrpc" -> {
                    if (t == JsonToken.VALUE_STRING) {
                        jsonrpc = p.getText();
                    } else if (t != JsonToken.VALUE_NULL) {
                        typeError = typeError != null ? typeError : "jsonrpc must be a string";
                        p.skipChildren();
                    }
                }
                case "method" -> {
                    if (t == JsonToken.VALUE_STRING) {
                        method = p.getText();
                    } else if (t != JsonToken.VALUE_NULL) {
                        typeError = typeError != null ? typeError : "method must be a string";
                        p.skipChildren();
                    }
                }
                case "params" -> {
                    String raw = raw(p, body);
                    params = "null".equals(raw) ? null : raw;
                }
                case "id" -> id = raw(p, body);
                default -> p.skipChildren();
            }
        }
        return new Envelope(jsonrpc, method, params, id, typeError);
    }

    /** The value the parser stands on, as sent, compacted (ids are echoed verbatim). */
    private static String raw(JsonParser p, byte[] body) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        p.finishToken();
        int end = (int) p.currentLocation().getByteOffset();
        return WireText.compact(body, start, end);
    }

    /** @return the answer to one request (without newline), or {@code null} for a notification */
    private String handle(PluginObjects objects, Envelope env) {
        String id = env.id();
        if (env.typeError() != null) {
            return id == null ? null : error(id, PARSE_ERROR, "parse error: " + env.typeError(), echo(env));
        }
        if (!"2.0".equals(env.jsonrpc())) {
            return id == null ? null : error(id, INVALID_REQUEST, "jsonrpc must be 2.0", echo(env));
        }
        String name = env.method();
        String[] parts = name.split("\\.", -1);
        if (parts.length != 2) {
            return id == null ? null
                    : error(id, METHOD_NOT_FOUND, "rpc: service/method request ill-formed: " + WireText.quote(name), null);
        }
        if (!serviceExists(parts[0], objects)) {
            return id == null ? null : error(id, METHOD_NOT_FOUND, "rpc: can't find service " + WireText.quote(name), null);
        }
        Method<?> m = METHODS.get(name);
        if (m == null) {
            return id == null ? null : error(id, METHOD_NOT_FOUND, "rpc: can't find method " + WireText.quote(name), null);
        }
        return invoke(objects, name, m, env.params(), id);
    }

    private <P> String invoke(PluginObjects objects, String name, Method<P> m, String rawParams, String id) {
        P params = null;
        if (m.params() != null) {
            try {
                params = decodeParams(rawParams, m.params());
            } catch (BadParams e) {
                return id == null ? null : error(id, INVALID_PARAMS, "invalid params: " + e.getMessage(), null);
            }
        }
        Object result;
        try {
            result = m.invoker().invoke(objects, params);
        } catch (PluginException e) {
            return id == null ? null : error(id, APPLICATION_ERROR, messageOf(e), null);
        } catch (Throwable e) {
            String message = e instanceof ServiceException ? oneLine(messageOf(e))
                    : "plugin '" + socketName + "' failed on " + name + ": " + oneLine(e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return failed(e, message, id);
        }
        if (id == null) {
            return null;
        }
        try {
            return "{\"jsonrpc\":\"2.0\",\"result\":" + results.writeValueAsString(result) + ",\"id\":" + id + "}";
        } catch (Throwable e) {
            // Jackson wraps what a getter throws in a JsonMappingException; an Error comes through as it is
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage()
                    : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return failed(e, "plugin '" + socketName + "' answered " + name + " with a result that cannot be written: "
                    + oneLine(String.valueOf(why)), id);
        }
    }

    /**
     * The answer to anything a plugin call threw other than a {@link PluginException}: -32000 with a
     * one-line message, logged with the stack trace.
     *
     * <p>What escapes the dispatcher reaches Jetty, which answers with an HTTP 500 page instead of
     * JSON-RPC. Every exception and error is therefore answered here, {@link StackOverflowError}
     * included: by the time it arrives here the plugin's frames have unwound, and the thread, the
     * connection and the server are as usable as after any exception. The other
     * {@link VirtualMachineError}s ({@link OutOfMemoryError}, {@link InternalError},
     * {@link UnknownError}) say the JVM itself is in trouble: they are rethrown, never answered as
     * if the plugin had merely failed.
     *
     * @return the error answer, or {@code null} for a notification
     */
    private static String failed(Throwable e, String message, String id) {
        if (e instanceof VirtualMachineError vm && !(e instanceof StackOverflowError)) {
            throw vm;
        }
        LOG.warn("{}", message, e);
        return id == null ? null : error(id, APPLICATION_ERROR, message, null);
    }

    /** Params that do not fit the method's params record. */
    private static final class BadParams extends Exception {
        private static final long serialVersionUID = 1L;

        BadParams(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Decodes params as the reference does: absent or {@code null} is the zero value; an object is
     * decoded; an array is read as {@code [obj]} (extra elements ignored, {@code []} the zero value).
     */
    static <P> P decodeParams(String raw, Class<P> type) throws BadParams {
        try {
            if (raw == null) {
                return MAPPER.readValue("{}", type);
            }
            char c = raw.charAt(0);
            if (c == '{') {
                return MAPPER.readValue(raw, type);
            }
            if (c == '[') {
                try (JsonParser p = MAPPER.createParser(raw)) {
                    p.nextToken();
                    JsonToken t = p.nextToken();
                    if (t == JsonToken.END_ARRAY || t == JsonToken.VALUE_NULL) {
                        return MAPPER.readValue("{}", type);
                    }
                    if (t == JsonToken.START_OBJECT) {
                        // the elements after the first are ignored, as the reference does
                        return MAPPER.readerFor(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                                .readValue(p);
                    }
                }
            }
            throw new BadParams("params must be an object, or an array holding one object");
        } catch (JsonProcessingException e) {
            throw new BadParams(ProtocolJson.describe(e));
        } catch (IOException e) {
            throw new BadParams(oneLine(String.valueOf(e.getMessage())));
        }
    }

    private static String echo(Envelope env) {
        return "{\"jsonrpc\":" + ProtocolJson.write(env.jsonrpc()) + ",\"method\":" + ProtocolJson.write(env.method())
                + ",\"params\":" + (env.params() == null ? "null" : env.params()) + ",\"id\":"
                + (env.id() == null ? "null" : env.id()) + "}";
    }

    static String error(String id, int code, String message, String data) {
        return "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":" + code + ",\"message\":" + ProtocolJson.write(message)
                + ",\"data\":" + (data == null ? "null" : data) + "},\"id\":" + id + "}";
    }

    private static String messageOf(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    static String oneLine(String s) {
        int nl = s.indexOf('\n');
        String first = nl < 0 ? s : s.substring(0, nl);
        return first.replace('\r', ' ').strip();
    }
}
