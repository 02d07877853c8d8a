package org.infrakit.rpc.impl.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.infrakit.rpc.impl.testing.FakeFlavorPlugin;
import org.infrakit.rpc.impl.testing.FakeGroupPlugin;
import org.infrakit.rpc.impl.testing.FakeInstancePlugin;
import org.infrakit.rpc.impl.testing.LogCapture;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.rpc.json.ProtocolJson;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/** The JSON-RPC rules of departures D2/D5 beyond the golden vectors, without a socket. */
class JsonRpcDispatcherTest {
    private final FakeGroupPlugin group = new FakeGroupPlugin();
    private final PluginObjects objects = PluginObjects.of(group,
            Map.of("", new FakeInstancePlugin("default"), "ec2", new FakeInstancePlugin("ec2")),
            Map.of("worker", new FakeFlavorPlugin("worker")));
    private final JsonRpcDispatcher dispatcher = new JsonRpcDispatcher("test");

    private String call(String body) {
        return call(objects, body);
    }

    private String call(PluginObjects o, String body) {
        return new String(dispatcher.dispatch(o, body.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void idsAreEchoedAsSentCompacted() {
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"Group.InspectGroups\",\"id\":1.50}"))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"Groups\":null},\"id\":1.50}\n");
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"Group.InspectGroups\",\"id\":\"a\\u0041 <b>\"}"))
                .endsWith(",\"id\":\"a\\u0041 \\u003cb\\u003e\"}\n");
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"Group.InspectGroups\",\"id\": { \"x\" : [ 1 , 2 ] } }"))
                .endsWith(",\"id\":{\"x\":[1,2]}}\n");
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"Group.InspectGroups\",\"id\":-0.5e+3}"))
                .endsWith(",\"id\":-0.5e+3}\n");
    }

    @Test
    void envelopeMembersMatchCaseInsensitivelyLastWins() {
        assertThat(call("{\"JSONRPC\":\"2.0\",\"Method\":\"Group.InspectGroups\",\"ID\":3}"))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"Groups\":null},\"id\":3}\n");
        assertThat(call("{\"jsonrpc\":\"1.0\",\"jsonrpc\":\"2.0\",\"method\":\"Group.InspectGroups\",\"id\":3}"))
                .contains("\"result\"");
    }

    @Test
    void trailingBytesAfterTheFirstValueAreIgnored() {
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"Group.InspectGroups\",\"id\":25}} garbage"))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"Groups\":null},\"id\":25}\n");
    }

    @Test
    void unparsableBodiesAreParseErrorsWithNullId() {
        String parseError = "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"parse error\",\"data\":null},\"id\":null}\n";
        assertThat(call("")).isEqualTo(parseError);
        assertThat(call("   \n")).isEqualTo(parseError);
        assertThat(call("{\"jsonrpc\":")).isEqualTo(parseError);
        assertThat(call("[{\"jsonrpc\":\"2.0\",\"method\":\"Group.InspectGroups\",\"id\":1},")).isEqualTo(parseError);
        assertThat(call("nonsense")).isEqualTo(parseError);
    }

    @Test
    void aBrokenBatchExecutesNothing() throws PluginException {
        call("[{\"jsonrpc\":\"2.0\",\"method\":\"Group.CommitGroup\",\"params\":{\"Spec\":{\"ID\":\"a\"}},\"id\":1},{");
        assertThat(group.inspectGroups()).isEmpty();
    }

    @Test
    void scalarsAndEmptyBatchesAreInvalidRequests() {
        assertThat(call("5")).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":"
                + "\"invalid request: expected an object or an array of objects\",\"data\":null},\"id\":null}\n");
        assertThat(call("[]")).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":"
                + "\"invalid request: empty batch\",\"data\":null},\"id\":null}\n");
    }

    @Test
    void batchesRunInOrderSkippingNotificationsAndFlaggingNonObjects() {
        String out = call("[{\"jsonrpc\":\"2.0\",\"method\":\"Group.CommitGroup\",\"params\":{\"Spec\":{\"ID\":\"a\"}}},"
                + "5,"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"Group.InspectGroups\",\"id\":\"x\"}]");
        assertThat(out).isEqualTo("[{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":"
                + "\"invalid request: a batch element must be an object\",\"data\":null},\"id\":null},"
                + "{\"jsonrpc\":\"2.0\",\"result\":{\"Groups\":[{\"ID\":\"a\",\"Properties\":null}]},\"id\":\"x\"}]\n");
        assertThat(call("[{\"jsonrpc\":\"2.0\",\"method\":\"Group.InspectGroups\"}]")).isEmpty();
    }

    @Test
    void notificationsAreExecutedButNotAnswered() throws PluginException {
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"Group.CommitGroup\",\"params\":{\"Spec\":{\"ID\":\"n\"}}}"))
                .isEmpty();
        assertThat(group.inspectGroups()).extracting(GroupSpec::id).containsExactly("n");
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"Nope.Nope\"}")).isEmpty();
    }

    @Test
    void wronglyTypedEnvelopeMembersAreTheReferenceParseErrorWithTheEnvelopeEchoed() {
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":5,\"params\":{},\"id\":24}"))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"parse error: method must be a string\","
                        + "\"data\":{\"jsonrpc\":\"2.0\",\"method\":\"\",\"params\":{},\"id\":24}},\"id\":24}\n");
    }

    @Test
    void unknownServicesAndMethodsAreMethodNotFoundInTheReferenceWords() {
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"group.CommitGroup\",\"id\":1}"))
                .contains("\"code\":-32601,\"message\":\"rpc: can't find service \\\"group.CommitGroup\\\"\"");
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"A.B.C\",\"id\":1}"))
                .contains("\"code\":-32601,\"message\":\"rpc: service/method request ill-formed: \\\"A.B.C\\\"\"");
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"\",\"id\":1}"))
                .contains("ill-formed: \\\"\\\"\"");
        // a service the socket does not serve is unknown there
        assertThat(call(PluginObjects.ofGroup(group), "{\"jsonrpc\":\"2.0\",\"method\":\"Instance.Validate\",\"id\":1}"))
                .contains("\"code\":-32601,\"message\":\"rpc: can't find service \\\"Instance.Validate\\\"\"");
        // Go %q quoting of odd method names
        assertThat(WireText.quote("a\"b\\c\u0001\t\u00e9\u200b")).isEqualTo("\"a\\\"b\\\\c\\x01\\t\u00e9\\u200b\"");
    }

    @Test
    void paramsMayBeAbsentEmptyAnObjectOrAnArrayHoldingOne() {
        String free = "{\"jsonrpc\":\"2.0\",\"method\":\"Group.FreeGroup\",\"id\":1,\"params\":";
        assertThat(call(free + "[]}")).contains("Group '' is not being watched");
        assertThat(call(free + "null}")).contains("Group '' is not being watched");
        assertThat(call(free + "[{\"id\":\"x\"},5]}")).contains("Group 'x' is not being watched");
        assertThat(call(free + "\"abc\"}")).contains("\"code\":-32602,\"message\":"
                + "\"invalid params: params must be an object, or an array holding one object\"");
        assertThat(call(free + "[5]}")).contains("\"code\":-32602");
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"Group.CommitGroup\",\"id\":1,\"params\":{\"Pretend\":\"yes\"}}"))
                .contains("\"code\":-32602,\"message\":\"invalid params: Pretend must be true or false\"");
    }

    @Test
    void subTypesDispatchThroughType() {
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"Instance.Provision\",\"params\":{\"Type\":\"ec2\"},\"id\":1}"))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"Type\":\"ec2\",\"ID\":\"ec2-1\"},\"id\":1}\n");
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"Instance.Provision\",\"params\":{},\"id\":1}"))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"Type\":\"\",\"ID\":\"default-1\"},\"id\":1}\n");
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"Instance.Provision\",\"params\":{\"Type\":\"gce\"},\"id\":1}"))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"no-plugin:gce\",\"data\":null},\"id\":1}\n");
        // the flavor socket has only a typed object: the default is missing
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"Flavor.Healthy\",\"params\":{},\"id\":1}"))
                .contains("\"message\":\"no-plugin:\"");
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"Flavor.Healthy\",\"params\":{\"Type\":\"worker\"},\"id\":1}"))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"Type\":\"worker\",\"Health\":1},\"id\":1}\n");
    }

    @Test
    void handshakesListEveryInterfaceAndSubType() {
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"Handshake.Implements\",\"id\":1}"))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"APIs\":[{\"Name\":\"Group\",\"Version\":\"0.1.0\"},"
                        + "{\"Name\":\"Instance\",\"Version\":\"0.6.0\"},{\"Name\":\"Flavor\",\"Version\":\"0.1.0\"}]},\"id\":1}\n");
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"Handshake.Types\",\"params\":\"ignored\",\"id\":1}"))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"Types\":{\"Flavor/0.1.0\":[\"worker\"],"
                        + "\"Group/0.1.0\":[\".\"],\"Instance/0.6.0\":[\".\",\"ec2\"]}},\"id\":1}\n");
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"Plugin.Implements\",\"id\":1}"))
                .startsWith("{\"jsonrpc\":\"2.0\",\"result\":{\"Interfaces\":[{\"Name\":\"Group\"");
    }

    @Test
    void anUnexpectedExceptionIsOneLineMinus32000AndLoggedWithItsStackTrace() {
        PluginObjects broken = PluginObjects.ofGroup(new FakeGroupPlugin() {
            @Override
            public List<GroupSpec> inspectGroups() {
                throw new IllegalStateException("boom\nsecond line");
            }
        });
        try (LogCapture log = new LogCapture(JsonRpcDispatcher.class)) {
            String out = call(broken, "{\"jsonrpc\":\"2.0\",\"method\":\"Group.InspectGroups\",\"id\":1}");
            assertThat(out).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":"
                    + "\"plugin 'test' failed on Group.InspectGroups: IllegalStateException: boom\",\"data\":null},\"id\":1}\n");
            assertThat(log.events()).hasSize(1);
            assertThat(log.events().get(0).getThrowableProxy().getClassName())
                    .isEqualTo(IllegalStateException.class.getName());
        }
    }

    @Test
    void aPluginExceptionKeepsItsMessage() {
        PluginObjects failing = PluginObjects.ofGroup(new FakeGroupPlugin() {
            @Override
            public List<GroupSpec> inspectGroups() throws PluginException {
                throw new PluginException("cannot list: disk <full> & \"gone\"");
            }
        });
        assertThat(call(failing, "{\"jsonrpc\":\"2.0\",\"method\":\"Group.InspectGroups\",\"id\":1}"))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":"
                        + "\"cannot list: disk \\u003cfull\\u003e \\u0026 \\\"gone\\\"\",\"data\":null},\"id\":1}\n");
    }

    @Test
    void theWarmUpIsARealCallThatImplementsNothing() {
        assertThat(JsonRpcDispatcher.warmUp())
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"Interfaces\":[]},\"id\":0}\n");
    }

    @Test
    void aResultThatCannotBeWrittenIsOneLineMinus32000AndLoggedWithItsStackTrace() {
        // The SPI's records copy what a plugin returns, so no plugin can hand the codec an unwritable
        // value today; a codec whose GroupSpec getter throws stands in for one.
        SimpleModule failingGetter = new SimpleModule().addSerializer(new StdSerializer<>(GroupSpec.class) {
            @Override
            public void serialize(GroupSpec value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                throw new IllegalStateException("getter failed\nat line two");
            }
        });
        JsonRpcDispatcher failing = new JsonRpcDispatcher("test", ProtocolJson.mapper().copy().registerModule(failingGetter));
        PluginObjects one = PluginObjects.ofGroup(new FakeGroupPlugin() {
            @Override
            public List<GroupSpec> inspectGroups() {
                return List.of(new GroupSpec("g", null));
            }
        });
        try (LogCapture log = new LogCapture(JsonRpcDispatcher.class)) {
            String out = new String(failing.dispatch(one, "{\"jsonrpc\":\"2.0\",\"method\":\"Group.InspectGroups\",\"id\":1}"
                    .getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
            assertThat(out).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"plugin 'test' answered "
                    + "Group.InspectGroups with a result that cannot be written: getter failed\",\"data\":null},\"id\":1}\n");
            assertThat(log.events()).singleElement().satisfies(e -> {
                assertThat(e.getFormattedMessage()).isEqualTo("plugin 'test' answered Group.InspectGroups with a result "
                        + "that cannot be written: getter failed");
                assertThat(e.getThrowableProxy()).as("logged with its stack trace").isNotNull();
            });
        }
    }

    @Test
    void aStackOverflowInAPluginIsMinus32000() {
        PluginObjects recursing = PluginObjects.ofGroup(new FakeGroupPlugin() {
            @Override
            public List<GroupSpec> inspectGroups() {
                throw new StackOverflowError();
            }
        });
        try (LogCapture log = new LogCapture(JsonRpcDispatcher.class)) {
            assertThat(call(recursing, "{\"jsonrpc\":\"2.0\",\"method\":\"Group.InspectGroups\",\"id\":1}"))
                    .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":"
                            + "\"plugin 'test' failed on Group.InspectGroups: StackOverflowError\",\"data\":null},\"id\":1}\n");
            assertThat(log.events()).singleElement().satisfies(e -> assertThat(e.getThrowableProxy().getClassName())
                    .isEqualTo(StackOverflowError.class.getName()));
        }
    }

    @Test
    void theJvmsOwnErrorsAreNotPassedOffAsPluginFailures() {
        PluginObjects exhausted = PluginObjects.ofGroup(new FakeGroupPlugin() {
            @Override
            public List<GroupSpec> inspectGroups() {
                throw new OutOfMemoryError("Java heap space");
            }
        });
        assertThatThrownBy(() -> call(exhausted, "{\"jsonrpc\":\"2.0\",\"method\":\"Group.InspectGroups\",\"id\":1}"))
                .isInstanceOf(OutOfMemoryError.class);
    }
}
