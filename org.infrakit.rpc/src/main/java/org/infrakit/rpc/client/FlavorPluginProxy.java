package org.infrakit.rpc.client;

import org.infrakit.spi.Allocation;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.Health;
import org.infrakit.spi.Index;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;
import org.infrakit.rpc.message.FlavorMessages;
import org.infrakit.rpc.message.InstanceMessages;

/**
 * A flavor plugin object behind a socket: the default object ({@code type ""}) or a typed one,
 * addressed through the {@code Type} member of every request.
 */
public final class FlavorPluginProxy implements FlavorPlugin {
    private final JsonRpcClient rpc;
    private final String type;

    /** @param rpc the socket's client @param type the sub-type, {@code ""} for the default object */
    public FlavorPluginProxy(JsonRpcClient rpc, String type) {
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
    public void validate(RawJson properties, Allocation allocation) throws PluginException {
        call("Flavor.Validate", new FlavorMessages.ValidateRequest(type, properties, allocation),
                InstanceMessages.OkResponse.class);
    }

    @Override
    public InstanceSpec prepare(RawJson properties, InstanceSpec spec, Allocation allocation, Index index)
            throws PluginException {
        return call("Flavor.Prepare", new FlavorMessages.PrepareRequest(type, properties, spec, allocation, index),
                FlavorMessages.PrepareResponse.class).spec();
    }

    @Override
    public Health healthy(RawJson properties, InstanceDescription instance) throws PluginException {
        return call("Flavor.Healthy", new FlavorMessages.InstanceRequest(type, properties, instance),
                FlavorMessages.HealthyResponse.class).health();
    }

    @Override
    public void drain(RawJson properties, InstanceDescription instance) throws PluginException {
        call("Flavor.Drain", new FlavorMessages.InstanceRequest(type, properties, instance),
                InstanceMessages.OkResponse.class);
    }

    @Override
    public String toString() {
        return "FlavorPlugin proxy for " + rpc.socket() + (type.isEmpty() ? "" : " type " + type);
    }
}
