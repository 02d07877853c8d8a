package org.infrakit.rpc.client;

/**
 * A JSON-RPC error answered by the remote side: the plugin's own failure (-32000) or a protocol
 * error (-32601 method not found, ...). Proxies turn it into a
 * {@link org.infrakit.spi.PluginException} with the same message.
 */
public final class RemoteError extends Exception {
    private static final long serialVersionUID = 1L;

    private final int code;

    /** @param code the JSON-RPC error code @param message the error message as sent */
    public RemoteError(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** @return the JSON-RPC error code */
    public int code() {
        return code;
    }
}
