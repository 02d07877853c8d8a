package org.infrakit.spi;

import java.io.Serial;

/**
 * The one failure a plugin reports: something a person should read.
 *
 * <p>The message is the whole answer. Over the wire it travels as the JSON-RPC error message with
 * code {@code -32000} and comes back out of a proxy as a {@code PluginException} with the same
 * message, so a remote plugin's error reads exactly like a local one's. Keep messages to one line
 * that says what was wrong and, where it helps, what to do about it.
 *
 * <p>Failures of the transport (a socket that does not answer, a timeout) are not plugin failures:
 * proxies report those as {@link org.osgi.framework.ServiceException} of type
 * {@link org.osgi.framework.ServiceException#REMOTE REMOTE}.
 */
public class PluginException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, for a human; never {@code null} */
    public PluginException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, for a human; never {@code null}
     * @param cause the underlying failure, kept for logs only (it does not cross the wire)
     */
    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
