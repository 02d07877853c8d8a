package org.infrakit.rpc.impl.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.infrakit.rpc.impl.PluginKind;
import org.infrakit.spi.Allocation;
import org.infrakit.spi.GroupDescription;
import org.infrakit.spi.Health;
import org.infrakit.rpc.json.ProtocolJson;
import org.infrakit.rpc.message.FlavorMessages;
import org.infrakit.rpc.message.GroupMessages;
import org.infrakit.rpc.message.InstanceMessages;

/**
 * The body of {@code /info/api.json} (wire.md §8.1): the interfaces a socket serves and, for each,
 * every method with zero-valued example params and result. Unlike the reference, which described
 * only the first object it registered, every interface served is described.
 */
final class ApiInfo {
    private ApiInfo() {
    }

    private record Example(Object params, Object result) {
    }

    private static final Map<PluginKind, SortedMap<String, Example>> EXAMPLES = Map.of(
            PluginKind.GROUP, sorted(Map.of(
                    "CommitGroup", new Example(new GroupMessages.CommitGroupRequest(null, false),
                            new GroupMessages.CommitGroupResponse("")),
                    "DescribeGroup", new Example(new GroupMessages.GroupIdRequest(""),
                            new GroupMessages.DescribeGroupResponse(new GroupDescription(null, false))),
                    "DestroyGroup", new Example(new GroupMessages.GroupIdRequest(""), new GroupMessages.OkResponse(false)),
                    "FreeGroup", new Example(new GroupMessages.GroupIdRequest(""), new GroupMessages.OkResponse(false)),
                    "InspectGroups", new Example(new GroupMessages.InspectGroupsRequest(),
                            new GroupMessages.InspectGroupsResponse(null)))),
            PluginKind.INSTANCE, sorted(Map.of(
                    "DescribeInstances", new Example(new InstanceMessages.DescribeInstancesRequest("", null, false),
                            new InstanceMessages.DescribeInstancesResponse("", null)),
                    "Destroy", new Example(new InstanceMessages.DestroyRequest("", "", null),
                            new InstanceMessages.OkResponse("", false)),
                    "Label", new Example(new InstanceMessages.LabelRequest("", "", null),
                            new InstanceMessages.OkResponse("", false)),
                    "Provision", new Example(new InstanceMessages.ProvisionRequest("", null),
                            new InstanceMessages.ProvisionResponse("", null)),
                    "Validate", new Example(new InstanceMessages.ValidateRequest("", null),
                            new InstanceMessages.OkResponse("", false)))),
            PluginKind.FLAVOR, sorted(Map.of(
                    "Drain", new Example(new FlavorMessages.InstanceRequest("", null, null),
                            new InstanceMessages.OkResponse("", false)),
                    "Healthy", new Example(new FlavorMessages.InstanceRequest("", null, null),
                            new FlavorMessages.HealthyResponse("", Health.UNKNOWN)),
                    "Prepare", new Example(new FlavorMessages.PrepareRequest("", null, null, null, null),
                            new FlavorMessages.PrepareResponse("", null)),
                    "Validate", new Example(new FlavorMessages.ValidateRequest("", null, new Allocation(0, null)),
                            new InstanceMessages.OkResponse("", false)))));

    private static SortedMap<String, Example> sorted(Map<String, Example> m) {
        return new TreeMap<>(m);
    }

    /**
     * @param objects what the socket serves
     * @param epochSeconds the time used as example id, as the reference does
     * @return compact JSON, no trailing newline
     */
    static String describe(PluginObjects objects, long epochSeconds) {
        String id = Long.toString(epochSeconds);
        List<Object> interfaces = new ArrayList<>();
        for (PluginKind kind : PluginKind.values()) {
            if (!objects.serves(kind)) {
                continue;
            }
            List<Object> methods = new ArrayList<>();
            for (Map.Entry<String, Example> m : EXAMPLES.get(kind).entrySet()) {
                Map<String, Object> request = new LinkedHashMap<>();
                request.put("jsonrpc", "2.0");
                request.put("method", kind.spec().name() + "." + m.getKey());
                request.put("params", m.getValue().params());
                request.put("id", id);
                Map<String, Object> response = new LinkedHashMap<>();
                response.put("result", m.getValue().result());
                response.put("id", id);
                Map<String, Object> method = new LinkedHashMap<>();
                method.put("Request", request);
                method.put("Response", response);
                methods.add(method);
            }
            Map<String, Object> iface = new LinkedHashMap<>();
            iface.put("Name", kind.spec().name());
            iface.put("Version", kind.spec().version());
            iface.put("Methods", methods);
            interfaces.add(iface);
        }
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("Vendor", null);
        api.put("Implements", objects.interfaces());
        api.put("Interfaces", interfaces);
        return ProtocolJson.write(api);
    }
}
