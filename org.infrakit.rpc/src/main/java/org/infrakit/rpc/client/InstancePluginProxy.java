package org.infrakit.rpc.client;

import java.util.List;
import java.util.Map;

import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;
import org.infrakit.rpc.message.InstanceMessages;

/**
 * An instance plugin object behind a socket: the default object ({@code type ""}) or a typed one,
 * addressed through the {@code Type} member of every request.
 */
public final class InstancePluginProxy implements InstancePlugin {
    private final JsonRpcClient rpc;
    private final String type;

    /** @param rpc the socket's client @param type the sub-type, {@code ""} for the default object */
    public InstancePluginProxy(JsonRpcClient rpc, String type) {
        this.rpc = rpc;
        this.type = type == null ? "" : type;
    }

    private <T> T call(String method, Object params, Class<T> result) throws PluginException {
        try {
            return rpc.call(method, params, result);
        } catch (RemoteError e) {
            throw new PluginException(e.getMessage(), e);
        }
    }

    @Override
    public void validate(RawJson properties) throws PluginException {
        call("Instance.Validate", new InstanceMessages.ValidateRequest(type, properties),
                InstanceMessages.OkResponse.class);
    }

    @Override
    public String provision(InstanceSpec spec) throws PluginException {
        return call("Instance.Provision", new InstanceMessages.ProvisionRequest(type, spec),
                InstanceMessages.ProvisionResponse.class).id();
    }

    @Override
    public void label(String instance, Map<String, String> labels) throws PluginException {
        call("Instance.Label", InstanceMessages.LabelRequest.of(type, instance, labels),
                InstanceMessages.OkResponse.class);
    }

    @Override
    public void destroy(String instance, DestroyContext context) throws PluginException {
        call("Instance.Destroy", new InstanceMessages.DestroyRequest(type, instance, context),
                InstanceMessages.OkResponse.class);
    }

    @Override
    public List<InstanceDescription> describeInstances(Map<String, String> tags, boolean properties)
            throws PluginException {
        List<InstanceDescription> d = call("Instance.DescribeInstances",
                InstanceMessages.DescribeInstancesRequest.of(type, tags, properties),
                InstanceMessages.DescribeInstancesResponse.class).descriptions();
        return d == null ? List.of() : d;
    }

    @Override
    public String toString() {
        return "InstancePlugin proxy for " + rpc.socket() + (type.isEmpty() ? "" : " type " + type);
    }
}
