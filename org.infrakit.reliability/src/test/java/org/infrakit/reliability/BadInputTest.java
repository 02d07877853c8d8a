package org.infrakit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.infrakit.group.impl.EngineOptions;
import org.infrakit.rpc.impl.server.ServerSettings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.PropagationMode;

/**
 * Bad input on every socket of the three default plugins, served by the real server over real
 * sockets: generated cases (jqwik), thousands at scale 1. Every answer must be a valid JSON-RPC
 * error (or result, where the input happens to be a valid request) or one of the documented HTTP
 * statuses; after every property a good request still answers on every socket; at the end no
 * descriptor or thread is left behind.
 */
@AddLifecycleHook(value = ScaledTries.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class BadInputTest {
    /** The documented default body limit (BridgeConfig.max_body_bytes). */
    static final long MAX_BODY = ServerSettings.DEFAULTS.maxBodyBytes();
    /** Short, so that half-sent requests and idle connections are closed within the test. */
    static final long IDLE_MS = 1500;
    static final List<String> SOCKETS = List.of(PluginHost.GROUP, PluginHost.INSTANCE, PluginHost.FLAVOR);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Duration ANSWER = Duration.ofSeconds(20);

    static Path root;
    static PluginHost host;
    static Leaks leaks;
    static Leaks.Snapshot before;
    static Set<String> outsideBefore;

    @BeforeContainer
    static void start() throws Exception {
        root = TempDirs.create();
        host = new PluginHost(root, ServerSettings.DEFAULTS.withLimits(MAX_BODY, IDLE_MS),
                EngineOptions.withPollInterval(Duration.ofSeconds(1)), false, p -> p);
        // warm up every code path once, so that lazily created threads and buffers exist before counting
        for (String s : SOCKETS) {
            goodRequestAnswers(s);
            Http.send(host.socket(s), Http.post("{"));
        }
        leaks = new Leaks(128, PluginHost.RPC_THREADS);
        before = leaks.take();
        outsideBefore = listing(root);
    }

    @AfterContainer
    static void stop() {
        try {
            for (String s : SOCKETS) {
                goodRequestAnswers(s);
            }
            leaks.assertBackTo(before, 4, 2, Duration.ofSeconds(15));
            // nothing written anywhere but the instance directory (Provision with odd but valid params)
            Set<String> outside = listing(root);
            outside.removeIf(p -> p.startsWith("instances/"));
            Set<String> expected = new HashSet<>(outsideBefore);
            expected.removeIf(p -> p.startsWith("instances/"));
            assertThat(outside).as("files outside the instance directory").isEqualTo(expected);
        } finally {
            host.close();
            TempDirs.delete(root);
        }
    }

    @AfterProperty
    void serverStaysUp() {
        for (String s : SOCKETS) {
            goodRequestAnswers(s);
        }
    }

    static void goodRequestAnswers(String socket) {
        Replies.assertServes(host.socket(socket));
    }

    private static Set<String> listing(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).collect(Collectors.toCollection(HashSet::new));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Http.Reply send(String socket, byte[] body) throws IOException {
        return Http.send(host.socket(socket), Http.post(body));
    }

    // ---------------------------------------------------------------------------------------------
    // Generators

    /** A well-formed request: its socket, its JSON text, and whether it has an id. */
    record Request(String socket, String json, boolean answered) {
        @Override
        public String toString() {
            return socket + " " + json;
        }
    }

    @Provide
    Arbitrary<String> sockets() {
        return Arbitraries.of(SOCKETS);
    }

    /** Ids as sent: integers (up to 2^63-1), strings, null; or absent (a notification). */
    @Provide
    Arbitrary<JsonNode> ids() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(l -> (JsonNode) F.numberNode(l)),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20).map(s -> (JsonNode) F.textNode(s)),
                Arbitraries.just(F.nullNode()),
                Arbitraries.just((JsonNode) null));
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<Request> withParams = Combinators.combine(Arbitraries.of(WireSchema.METHODS), ids())
                .as((m, id) -> request(m.socket(), m.name(), WireSchema.sample(m), id));
        Arbitrary<Request> handshakes = Combinators.combine(sockets(), Arbitraries.of(WireSchema.HANDSHAKES), ids())
                .as((s, m, id) -> request(s, m, F.objectNode(), id));
        return Arbitraries.oneOf(withParams, handshakes);
    }

    static Request request(String socket, String method, JsonNode params, JsonNode id) {
        ObjectNode o = F.objectNode();
        o.put("jsonrpc", "2.0");
        o.put("method", method);
        o.set("params", params);
        if (id != null) {
            o.set("id", id);
        }
        return new Request(socket, json(o), id != null);
    }

    static String json(JsonNode n) {
        try {
            return Replies.STRICT.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Malformed, truncated, mutated, garbage

    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
    void randomBytesGetAValidAnswer(@ForAll("sockets") String socket, @ForAll @Size(max = 600) byte[] body)
            throws IOException {
        Replies.check(send(socket, body), true);
    }

    @Property(tries = 300)
    void aTruncatedRequestIsAParseError(@ForAll("requests") Request request, @ForAll @IntRange(max = 10_000) int at)
            throws IOException {
        byte[] full = request.json().getBytes(StandardCharsets.UTF_8);
        byte[] cut = Arrays.copyOf(full, at % full.length); // always short of the closing brace
        Http.Reply r = send(request.socket(), cut);
        JsonNode n = Replies.single(r);
        assertThat(n.path("error").path("code").intValue()).as("%s", r).isEqualTo(Replies.PARSE_ERROR);
        assertThat(n.get("id").isNull()).as("%s", r).isTrue();
    }

    /** A byte replaced, removed or inserted (twice at most): a valid answer whatever it became. */
    @Property(tries = 500)
    void aMutatedRequestGetsAValidAnswer(@ForAll("requests") Request request,
            @ForAll @Size(min = 1, max = 3) List<@IntRange(max = 100_000) Integer> positions,
            @ForAll @Size(min = 3, max = 3) List<Byte> bytes, @ForAll @IntRange(max = 2) int op) throws IOException {
        byte[] b = request.json().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < positions.size(); i++) {
            int at = positions.get(i) % b.length;
            byte x = bytes.get(i % bytes.size());
            b = switch (op) {
                case 0 -> replace(b, at, x);
                case 1 -> remove(b, at);
                default -> insert(b, at, new byte[] {x});
            };
            if (b.length == 0) {
                break;
            }
        }
        Replies.check(send(request.socket(), b), true);
    }

    static byte[] replace(byte[] b, int at, byte x) {
        byte[] c = b.clone();
        c[at] = x;
        return c;
    }

    static byte[] remove(byte[] b, int at) {
        byte[] c = new byte[b.length - 1];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(b, at + 1, c, at, b.length - at - 1);
        return c;
    }

    static byte[] insert(byte[] b, int at, byte[] x) {
        byte[] c = new byte[b.length + x.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(x, 0, c, at, x.length);
        System.arraycopy(b, at, c, at + x.length, b.length - at);
        return c;
    }

    /** Batches of requests, notifications and non-objects: one answer per request, in order. */
    @Property(tries = 150)
    void aBatchIsAnsweredElementByElement(@ForAll("sockets") String socket,
            @ForAll @Size(min = 1, max = 12) List<@IntRange(max = 3) Integer> kinds,
            @ForAll @Size(min = 12, max = 12) List<@IntRange(min = -100, max = 100_000) Integer> ids)
            throws IOException {
        StringBuilder b = new StringBuilder("[");
        List<Integer> expectedIds = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            int id = ids.get(i);
            switch (kinds.get(i)) {
                case 0 -> {
                    b.append("{\"jsonrpc\":\"2.0\",\"method\":\"Plugin.Implements\",\"id\":").append(id).append('}');
                    expectedIds.add(id);
                }
                case 1 -> b.append("{\"jsonrpc\":\"2.0\",\"method\":\"Plugin.Implements\"}"); // notification
                case 2 -> {
                    b.append("{\"jsonrpc\":\"2.0\",\"method\":\"No.Such\",\"id\":").append(id).append('}');
                    expectedIds.add(id);
                }
                default -> {
                    b.append(id); // not an object: an invalid request answered with id null
                    expectedIds.add(null);
                }
            }
        }
        b.append(']');
        Http.Reply r = send(socket, b.toString().getBytes(StandardCharsets.UTF_8));
        List<JsonNode> answers = Replies.check(r, expectedIds.isEmpty());
        assertThat(answers).as("%s", r).hasSize(expectedIds.size());
        for (int i = 0; i < answers.size(); i++) {
            JsonNode id = answers.get(i).get("id");
            if (expectedIds.get(i) == null) {
                assertThat(id.isNull()).as("%s", r).isTrue();
            } else {
                assertThat(id.intValue()).as("%s", r).isEqualTo(expectedIds.get(i));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Deep nesting

    /** Nesting at and around the parser's depth limit, in every place a value can be. */
    @Property(tries = 60)
    void deepNestingIsRefusedOrAnsweredNeverCrashes(@ForAll("sockets") String socket,
            @ForAll("depths") int depth, @ForAll boolean arrays, @ForAll @IntRange(max = 4) int where)
            throws IOException {
        String deep = nested(depth, arrays);
        String body = switch (where) {
            case 0 -> deep;
            case 1 -> "{\"jsonrpc\":\"2.0\",\"method\":\"Plugin.Implements\",\"params\":" + deep + ",\"id\":1}";
            case 2 -> "{\"jsonrpc\":\"2.0\",\"method\":\"Plugin.Implements\",\"id\":" + deep + "}";
            case 3 -> "{\"jsonrpc\":\"2.0\",\"method\":\"Plugin.Implements\",\"x\":" + deep + ",\"id\":1}";
            default -> "{\"jsonrpc\":\"2.0\",\"method\":\"Flavor.Validate\",\"params\":{\"Properties\":" + deep
                    + "},\"id\":1}";
        };
        String target = where == 4 ? PluginHost.FLAVOR : socket;
        Http.Reply r = send(target, body.getBytes(StandardCharsets.UTF_8));
        // a body that is just nested objects is a request without an id: a notification, answered with nothing
        List<JsonNode> answers = Replies.check(r, where == 0 && !arrays);
        if (depth > 2_000) {
            assertThat(answers).as("%s", r).singleElement().satisfies(
                    n -> assertThat(n.path("error").path("code").intValue()).isIn(Replies.PARSE_ERROR,
                            Replies.INVALID_REQUEST, Replies.INVALID_PARAMS, Replies.APPLICATION_ERROR));
        }
    }

    @Provide
    Arbitrary<Integer> depths() {
        return Arbitraries.oneOf(Arbitraries.of(1, 2, 499, 500, 501, 999, 1000, 1001, 1002, 5000, 10_000),
                Arbitraries.integers().between(1, 12_000));
    }

    static String nested(int depth, boolean arrays) {
        StringBuilder b = new StringBuilder(depth * 6);
        for (int i = 0; i < depth; i++) {
            b.append(arrays ? "[" : "{\"a\":");
        }
        b.append('1');
        for (int i = 0; i < depth; i++) {
            b.append(arrays ? ']' : '}');
        }
        return b.toString();
    }

    /** The required case exactly: 10,000 levels, on every socket, in the body and in the params. */
    @Example
    void tenThousandLevelsAreAParseError() throws IOException {
        for (String s : SOCKETS) {
            for (boolean arrays : new boolean[] {true, false}) {
                String deep = nested(10_000, arrays);
                for (String body : List.of(deep, "[" + deep + "]",
                        "{\"jsonrpc\":\"2.0\",\"method\":\"Plugin.Implements\",\"params\":" + deep + ",\"id\":1}")) {
                    Http.Reply r = send(s, body.getBytes(StandardCharsets.UTF_8));
                    assertThat(Replies.code(r)).as("%s", r).isEqualTo(Replies.PARSE_ERROR);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Wrong JSON types in every member of every method

    /** Every *Request record of the SPI is the params of some method in the table. */
    @Example
    void theMethodTableCoversEveryParamsRecord() {
        Set<Class<?>> covered = WireSchema.METHODS.stream().map(WireSchema.Method::params).collect(Collectors.toSet());
        for (Class<?> c : WireSchema.MESSAGE_CLASSES) {
            for (Class<?> nested : c.getDeclaredClasses()) {
                if (nested.isRecord() && nested.getSimpleName().endsWith("Request")) {
                    assertThat(covered).as("params record %s is exercised", nested.getName()).contains(nested);
                }
            }
        }
    }

    /** Exhaustive: each member of each method, each wrong type. */
    @Example
    void everyMemberOfEveryMethodRefusesEveryWrongType() throws IOException {
        List<WireSchema.Member> members = WireSchema.members();
        assertThat(members).hasSizeGreaterThan(40);
        int cases = 0;
        for (WireSchema.Member m : members) {
            for (JsonNode wrong : WireSchema.wrongValues(m.kind())) {
                checkWrongType(m, wrong, cases);
                cases++;
            }
        }
        for (WireSchema.Method m : WireSchema.METHODS) {
            for (JsonNode params : List.of(F.textNode("x"), F.numberNode(1), F.booleanNode(true),
                    F.arrayNode().add(1), F.arrayNode().add("x"))) {
                Http.Reply r = send(m.socket(), request(m.socket(), m.name(), params, F.numberNode(3)).json()
                        .getBytes(StandardCharsets.UTF_8));
                JsonNode e = Replies.error(r);
                assertThat(e.get("code").intValue()).as("%s params %s: %s", m, params, r).isEqualTo(Replies.INVALID_PARAMS);
                cases++;
            }
        }
        assertThat(cases).isGreaterThan(300);
    }

    /** Random: a member, a value of random shape. */
    @Property(tries = 300)
    void aMemberOfTheWrongShapeIsInvalidParams(@ForAll("members") WireSchema.Member member,
            @ForAll("anyJson") JsonNode value, @ForAll int id) throws IOException {
        checkWrongType(member, value, id);
    }

    @Provide
    Arbitrary<WireSchema.Member> members() {
        return Arbitraries.of(WireSchema.members());
    }

    @Provide
    Arbitrary<JsonNode> anyJson() {
        return Arbitraries.lazyOf(
                () -> Arbitraries.strings().ofMaxLength(10).map(s -> (JsonNode) F.textNode(s)),
                () -> Arbitraries.longs().map(l -> (JsonNode) F.numberNode(l)),
                () -> Arbitraries.doubles().map(d -> (JsonNode) F.numberNode(d)),
                () -> Arbitraries.of(true, false).map(b -> (JsonNode) F.booleanNode(b)),
                () -> Arbitraries.just((JsonNode) F.nullNode()),
                () -> anyJson().list().ofMaxSize(3).map(l -> {
                    var a = F.arrayNode();
                    l.forEach(a::add);
                    return (JsonNode) a;
                }),
                () -> Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(4), anyJson()).as((k, v) -> {
                    ObjectNode o = F.objectNode();
                    o.set(k, v);
                    return (JsonNode) o;
                }));
    }

    /**
     * The value at the member: when its JSON type cannot be the member's, -32602 naming the member;
     * otherwise (opaque members, or a value of the right type) any valid answer.
     */
    static void checkWrongType(WireSchema.Member m, JsonNode value, int id) throws IOException {
        ObjectNode params = WireSchema.substitute(WireSchema.sample(m.method()), m.path(), value);
        Request req = request(m.method().socket(), m.method().name(), params, F.numberNode(id));
        Http.Reply r = send(req.socket(), req.json().getBytes(StandardCharsets.UTF_8));
        JsonNode n = Replies.single(r);
        assertThat(n.get("id").intValue()).as("%s", r).isEqualTo(id);
        if (!fits(m.kind(), value)) {
            JsonNode e = n.get("error");
            assertThat(e).as("%s = %s must be refused: %s", m, value, r).isNotNull();
            assertThat(e.get("code").intValue()).as("%s = %s: %s", m, value, r).isEqualTo(Replies.INVALID_PARAMS);
            assertThat(e.get("message").textValue()).as("%s = %s: the message names the member", m, value)
                    .startsWith("invalid params: ").contains(m.dotted());
        }
    }

    /** Whether a JSON value can decode as a member of this kind (null always can: Go's zero value). */
    static boolean fits(WireSchema.Kind kind, JsonNode v) {
        if (v.isNull()) {
            return true;
        }
        return switch (kind) {
            case STRING -> v.isTextual();
            case BOOLEAN -> v.isBoolean();
            case INTEGER -> v.isIntegralNumber() && v.canConvertToLong() && !(v.isDouble() || v.isFloat());
            case MAP, OBJECT -> v.isObject();
            case LIST -> v.isArray();
            case RAW -> true;
        };
    }

    // ---------------------------------------------------------------------------------------------
    // Unknown methods

    @Provide
    Arbitrary<String> methodNames() {
        Set<String> known = new HashSet<>(WireSchema.HANDSHAKES);
        WireSchema.METHODS.forEach(m -> known.add(m.name()));
        Arbitrary<String> anything = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<String> dotted = Combinators.combine(Arbitraries.of("Group", "Instance", "Flavor", "Plugin",
                "Handshake", "Metadata", "", "group", "Event"), Arbitraries.strings().ofMaxLength(20))
                .as((s, m) -> s + "." + m);
        return Arbitraries.oneOf(anything, dotted).filter(s -> !known.contains(s));
    }

    @Property(tries = 300)
    void anUnknownMethodIsMethodNotFound(@ForAll("sockets") String socket, @ForAll("methodNames") String method,
            @ForAll long id) throws IOException {
        Request req = request(socket, method, F.objectNode(), F.numberNode(id));
        Http.Reply r = send(socket, req.json().getBytes(StandardCharsets.UTF_8));
        JsonNode n = Replies.single(r);
        assertThat(n.path("error").path("code").intValue()).as("%s", r).isEqualTo(Replies.METHOD_NOT_FOUND);
        assertThat(n.get("id").longValue()).isEqualTo(id);
    }

    /** A method of another plugin's service is unknown here. */
    @Example
    void aMethodOfAnotherSocketIsMethodNotFound() throws IOException {
        for (WireSchema.Method m : WireSchema.METHODS) {
            for (String s : SOCKETS) {
                if (s.equals(m.socket())) {
                    continue;
                }
                Http.Reply r = send(s, request(s, m.name(), WireSchema.sample(m), F.numberNode(1)).json()
                        .getBytes(StandardCharsets.UTF_8));
                assertThat(Replies.code(r)).as("%s on %s: %s", m, s, r).isEqualTo(Replies.METHOD_NOT_FOUND);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Invalid UTF-8

    @Provide
    Arbitrary<byte[]> invalidUtf8() {
        return Arbitraries.of(
                new byte[] {(byte) 0xff},
                new byte[] {(byte) 0xc3, 0x28},
                new byte[] {(byte) 0xe2, (byte) 0x82},
                new byte[] {(byte) 0xf0, (byte) 0x9f, (byte) 0x98},
                new byte[] {(byte) 0xc0, (byte) 0xaf}, // overlong '/'
                new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // a surrogate
                new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0x80});
    }

    /**
     * Invalid UTF-8 anywhere, in strings that are echoed (id, method) included: a valid answer,
     * itself valid UTF-8 (Replies.check decodes it strictly).
     */
    @Property(tries = 300)
    void invalidUtf8GetsAValidAnswer(@ForAll("requests") Request request, @ForAll("invalidUtf8") byte[] bad,
            @ForAll @IntRange(max = 100_000) int at, @ForAll boolean inString) throws IOException {
        byte[] b = request.json().getBytes(StandardCharsets.UTF_8);
        int pos = at % b.length;
        if (inString) {
            // just after an opening quote of some string: the method name, a member name, an id, a value
            List<Integer> quotes = new ArrayList<>();
            for (int i = 0; i < b.length; i++) {
                if (b[i] == '"') {
                    quotes.add(i + 1);
                }
            }
            pos = quotes.get(at % quotes.size());
        }
        Replies.check(send(request.socket(), insert(b, pos, bad)), true);
    }

    @Example
    void invalidUtf8InEchoedStringsIsAParseError() throws IOException {
        byte[] bad = {(byte) 0xc3, 0x28};
        for (String s : SOCKETS) {
            for (String template : List.of("{\"jsonrpc\":\"2.0\",\"method\":\"Plugin.Implements\",\"id\":\"a@b\"}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"Plugin.Imp@lements\",\"id\":1}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"Plugin.Implements\",\"params\":{\"x\":\"@\"},\"id\":1}",
                    "{\"jsonrpc\":\"2.0@\",\"method\":\"Plugin.Implements\",\"id\":1}")) {
                byte[] t = template.getBytes(StandardCharsets.US_ASCII);
                int at = template.indexOf('@');
                byte[] body = insert(remove(t, at), at, bad);
                Http.Reply r = send(s, body);
                assertThat(Replies.code(r)).as("%s: %s", template, r).isEqualTo(Replies.PARSE_ERROR);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Huge bodies and the HTTP layer

    @Example
    void aBodyOverTheLimitIs413() throws IOException {
        byte[] over = new byte[(int) MAX_BODY + 1];
        Arrays.fill(over, (byte) ' ');
        for (String s : SOCKETS) {
            Http.Raw raw = Http.exchange(host.socket(s), Http.post(over), ANSWER);
            assertThat(raw.reply().status()).as("%s with %d bytes", s, over.length).isEqualTo(413);

            // a Content-Length far over the limit is refused before any body is read
            byte[] head = ("POST / HTTP/1.1\r\nHost: rpc\r\nContent-Type: application/json\r\nContent-Length: "
                    + (1L << 40) + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII);
            assertThat(Http.exchange(host.socket(s), head, ANSWER).reply().status()).isEqualTo(413);

            // chunked: no length announced, the limit is found while reading
            Http.Raw chunked = Http.exchange(host.socket(s), chunked(over, 65536), ANSWER);
            assertThat(chunked.reply().status()).as("%s chunked", s).isEqualTo(413);
        }
    }

    @Example
    void aBodyAtTheLimitIsRead() throws IOException {
        String call = "{\"jsonrpc\":\"2.0\",\"method\":\"Plugin.Implements\",\"id\":5}";
        byte[] body = new byte[(int) MAX_BODY];
        Arrays.fill(body, (byte) ' ');
        System.arraycopy(call.getBytes(StandardCharsets.US_ASCII), 0, body, 0, call.length());
        for (String s : SOCKETS) {
            Http.Reply r = Http.exchange(host.socket(s), Http.post(body), ANSWER).reply();
            assertThat(Replies.single(r).get("id").intValue()).as("%s", r).isEqualTo(5);
        }
        // a huge body that is valid JSON but not a request
        byte[] bigString = ("\"" + "x".repeat((int) MAX_BODY - 3) + "\"").getBytes(StandardCharsets.US_ASCII);
        assertThat(Replies.code(send(PluginHost.GROUP, bigString))).isEqualTo(Replies.INVALID_REQUEST);
    }

    static byte[] chunked(byte[] body, int chunk) {
        StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\nHost: rpc\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < body.length; i += chunk) {
            int n = Math.min(chunk, body.length - i);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** The documented statuses: 405 not POST, 415 not JSON, 404 unknown path (departures D2). */
    @Property(tries = 100)
    void theHttpLayerAnswersWithTheDocumentedStatuses(@ForAll("sockets") String socket,
            @ForAll("httpMethods") String method, @ForAll("contentTypes") String contentType,
            @ForAll("paths") String path) throws IOException {
        byte[] body = "{\"jsonrpc\":\"2.0\",\"method\":\"Plugin.Implements\",\"id\":1}".getBytes(StandardCharsets.UTF_8);
        Http.Reply r = Http.send(host.socket(socket), Http.request(method, path, contentType, body));
        boolean json = contentType == null || contentType.isEmpty()
                || contentType.split(";", 2)[0].equalsIgnoreCase("application/json");
        if (!path.equals("/")) {
            if (path.contains("//") || path.contains("..") || path.contains("%2e")) {
                // Jetty refuses ambiguous URIs itself (RFC 3986 §3.3 empty and dot segments)
                assertThat(r.status()).as("%s %s: %s", method, path, r).isIn(400, 404);
            } else if (path.startsWith("/info/")) {
                assertThat(r.status()).as("%s %s: %s", method, path, r).isEqualTo(200);
            } else {
                assertThat(r.status()).as("%s %s: %s", method, path, r).isIn(200, 404);
            }
        } else if (!method.equals("POST")) {
            assertThat(r.status()).as("%s %s", method, r).isEqualTo(405);
        } else if (!json) {
            assertThat(r.status()).as("%s %s", contentType, r).isEqualTo(415);
        } else {
            assertThat(Replies.single(r).get("id").intValue()).isEqualTo(1);
        }
    }

    @Provide
    Arbitrary<String> httpMethods() {
        // (no HEAD: its answer has a Content-Length but no body, which this client does not expect)
        return Arbitraries.of("POST", "GET", "PUT", "DELETE", "PATCH", "OPTIONS");
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of("application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "",
                "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/jsonx")
                .injectNull(0.1);
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.oneOf(Arbitraries.of("/", "/info/api.json", "/info/functions.json", "/rpc", "/events",
                "//", "/%2e%2e/x", "/../../etc/passwd"), Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(8)
                .map(s -> "/" + s + "/x"));
    }

    /** Broken HTTP framing is Jetty's to refuse (400) before any JSON-RPC is involved. */
    @Example
    void brokenHttpIsRefusedAndTheConnectionClosed() throws IOException {
        List<String> broken = List.of("GARBAGE\r\n\r\n", "POST / HTTP/1.1\r\nHost: rpc\r\nContent-Length: x\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: rpc\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n{}",
                "POST / HTTP/1.1\r\nHost: rpc\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
                "POST / HTTP/1.1\r\nHost rpc\r\n\r\n", "POST / HTTP/9.9\r\nHost: rpc\r\n\r\n");
        for (String s : SOCKETS) {
            for (String req : broken) {
                Http.Raw raw = Http.exchange(host.socket(s), req.getBytes(StandardCharsets.ISO_8859_1), ANSWER);
                assertThat(raw.closedByPeer()).as("%s closed", req).isTrue();
                assertThat(raw.reply().status()).as("%s", req).isBetween(400, 505);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Half-sent requests and idle connections

    /**
     * A request cut anywhere, then the client stops sending: the server answers nothing or an
     * HTTP error, never a JSON-RPC result for half a request, and lets go of the connection.
     */
    @Property(tries = 150)
    void aHalfSentRequestIsDropped(@ForAll("requests") Request request, @ForAll @IntRange(max = 100_000) int at)
            throws IOException {
        byte[] full = Http.post(request.json());
        byte[] half = Arrays.copyOf(full, at % full.length);
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(host.socket(request.socket())));
            ByteBuffer out = ByteBuffer.wrap(half);
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ch.shutdownOutput();
            byte[] got = Http.exchangeRest(ch, ANSWER);
            assertThat(ch.isOpen()).as("the server closed the connection").isTrue();
            if (got.length > 0) {
                // Jetty's "400 Early EOF" page: its body is sometimes cut when the client half-closes
                // in the middle of the headers (a race in Jetty between writing the error response on
                // another thread and shutting the connection down; the JDK connector with a
                // non-blocking handler does not show it). The status line is what counts here.
                assertThat(Http.status(got)).as("%d of %d bytes sent: %s", half.length, full.length,
                        new String(got, StandardCharsets.ISO_8859_1)).isBetween(400, 599);
            }
        }
    }

    /**
     * A request that stops half way and stays open is closed by the server at its idle timeout;
     * meanwhile the socket keeps answering.
     */
    @Example
    void halfSentRequestsThatStayOpenAreClosedAtTheIdleTimeout() throws Exception {
        List<SocketChannel> open = new ArrayList<>();
        try {
            for (String s : SOCKETS) {
                for (String half : List.of("POST / HTTP/1.1\r\nHost: rpc\r\n",
                        "POST / HTTP/1.1\r\nHost: rpc\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"json",
                        "POST / HTTP/1.1\r\nHost: rpc\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"js")) {
                    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                    open.add(ch);
                    ch.connect(UnixDomainSocketAddress.of(host.socket(s)));
                    ch.write(ByteBuffer.wrap(half.getBytes(StandardCharsets.US_ASCII)));
                }
                goodRequestAnswers(s);
            }
            long start = System.nanoTime();
            for (SocketChannel ch : open) {
                byte[] got = Http.exchangeRest(ch, Duration.ofMillis(IDLE_MS * 4));
                assertThat(ch.isOpen()).as("closed by the server, not by the deadline").isTrue();
                if (got.length > 0) {
                    assertThat(Http.status(got)).isBetween(400, 599);
                }
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).as("every half-sent request closed by the server").isLessThan(IDLE_MS * 4);
        } finally {
            for (SocketChannel ch : open) {
                ch.close();
            }
        }
    }

    /** 200 idle connections: the sockets still answer at once; the server closes them at the idle timeout. */
    @Example
    void manyIdleConnectionsDoNotStopTheServer() throws Exception {
        List<SocketChannel> idle = new ArrayList<>();
        try {
            for (int i = 0; i < Scale.times(200); i++) {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                idle.add(ch);
                ch.connect(UnixDomainSocketAddress.of(host.socket(SOCKETS.get(i % SOCKETS.size()))));
                if (i % 4 == 1) {
                    ch.write(ByteBuffer.wrap("POST / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)));
                }
            }
            for (String s : SOCKETS) {
                long start = System.nanoTime();
                goodRequestAnswers(s);
                assertThat((System.nanoTime() - start) / 1_000_000).as("answer time with %d idle connections",
                        idle.size()).isLessThan(5_000);
            }
            for (SocketChannel ch : idle) {
                byte[] got = Http.exchangeRest(ch, Duration.ofMillis(IDLE_MS * 6));
                assertThat(ch.isOpen()).as("closed by the server at its idle timeout").isTrue();
                if (got.length > 0) {
                    assertThat(Http.status(got)).isBetween(400, 599);
                }
            }
        } finally {
            for (SocketChannel ch : idle) {
                ch.close();
            }
        }
    }

    /** A real client's pooled keep-alive connections, abandoned without closing: no trace once idle. */
    @Example
    void keptAliveConnectionsAbandonedMidRequestAreReleased() throws Exception {
        byte[] one = Http.request("POST", "/", "application/json",
                "{\"jsonrpc\":\"2.0\",\"method\":\"Plugin.Implements\",\"id\":1}".getBytes(StandardCharsets.UTF_8));
        // keep-alive: the same request without "Connection: close", three times on one connection
        byte[] keep = new String(one, StandardCharsets.ISO_8859_1).replace("Connection: close\r\n", "")
                .getBytes(StandardCharsets.ISO_8859_1);
        for (String s : SOCKETS) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(host.socket(s)));
                for (int i = 0; i < 3; i++) {
                    ch.write(ByteBuffer.wrap(keep));
                }
                ch.write(ByteBuffer.wrap(Arrays.copyOf(keep, keep.length / 2)));
                ByteBuffer in = ByteBuffer.allocate(8192);
                int answers = 0;
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (answers < 3 && System.nanoTime() < deadline) {
                    if (ch.read(in) < 0) {
                        break;
                    }
                    String got = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
                    answers = got.split("HTTP/1.1 200", -1).length - 1;
                }
                assertThat(answers).as("three pipelined answers on %s", s).isEqualTo(3);
            }
        }
    }
}
