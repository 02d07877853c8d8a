package org.infrakit.rpc.client;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import org.infrakit.rpc.json.ProtocolJson;
import org.osgi.framework.ServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * JSON-RPC 2.0 calls to one plugin socket, as the reference's Go client makes them: params always
 * an object, a reply's {@code error} wins over its {@code result}, a missing or {@code null}
 * result is an error.
 *
 * <p>A JSON-RPC error comes out as a {@link RemoteError}; anything that keeps the call from
 * completing (no socket, refused connection, timeout, an answer that is not JSON-RPC) as an
 * {@link ServiceException} of type {@link ServiceException#REMOTE} naming the socket. Thread-safe.
 */
public final class JsonRpcClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JsonRpcClient.class);
    private static final Map<Class<?>, ObjectReader> READERS = new ConcurrentHashMap<>();
    private static final int POOL = 8;

    private final UnixHttpClient http;
    private final long timeoutMs;
    private final boolean trace;
    private final AtomicLong ids = new AtomicLong(1);
    private volatile boolean closed;

    /**
     * The result of a call, with the id of the runtime that answered (the
     * {@code Infrakit-Runtime} response header, {@code null} for foreign servers).
     *
     * @param <T> the result type
     * @param value the result
     * @param runtimeId the answering runtime, or {@code null}
     */
    public record Result<T>(T value, String runtimeId) {
    }

    /**
     * @param socket the plugin socket
     * @param timeoutMs the deadline of every call
     * @param timer enforces deadlines; owned by the caller
     * @param trace whether to log every request and reply (log level 5)
     */
    public JsonRpcClient(Path socket, long timeoutMs, ScheduledExecutorService timer, boolean trace) {
        this.http = new UnixHttpClient(socket, timer, POOL);
        this.timeoutMs = timeoutMs;
        this.trace = trace;
    }

    /** @return the socket */
    public Path socket() {
        return http.socket();
    }

    /**
     * @param <T> the result type
     * @param method {@code Service.Method}
     * @param params the params object ({@code null}: {@code {}})
     * @param resultType the result record
     * @return the result
     * @throws RemoteError when the remote side answers with a JSON-RPC error
     * @throws ServiceException (REMOTE) when the call cannot complete
     */
    public <T> T call(String method, Object params, Class<T> resultType) throws RemoteError {
        return exchange(method, params, resultType).value();
    }

    /**
     * Like {@link #call} but also returns the answering runtime's id.
     *
     * @param <T> the result type
     * @param method {@code Service.Method}
     * @param params the params object ({@code null}: {@code {}})
     * @param resultType the result record
     * @return the result and the runtime id
     * @throws RemoteError when the remote side answers with a JSON-RPC error
     * @throws ServiceException (REMOTE) when the call cannot complete
     */
    public <T> Result<T> exchange(String method, Object params, Class<T> resultType) throws RemoteError {
        if (closed) {
            throw new ServiceException("The proxy for plugin socket " + socket() + " is closed: the socket is no "
                    + "longer imported", ServiceException.REMOTE);
        }
        String body;
        try {
            body = "{\"jsonrpc\":\"2.0\",\"method\":" + ProtocolJson.write(method) + ",\"params\":"
                    + (params == null ? "{}" : ProtocolJson.mapper().writeValueAsString(params)) + ",\"id\":"
                    + ids.getAndIncrement() + "}";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the params of " + method + ": " + e.getOriginalMessage(), e);
        }
        if (trace) {
            LOG.info("rpc {} <- {}", socket(), body);
        }
        HttpReply reply;
        try {
            reply = http.post(body.getBytes(StandardCharsets.UTF_8), timeoutMs);
        } catch (UnixHttpClient.TimeoutException e) {
            throw new ServiceException("Plugin socket " + socket() + " did not answer " + method + " within "
                    + timeoutMs + " ms", ServiceException.REMOTE, e);
        } catch (ConnectException e) {
            throw new ServiceException("Plugin socket " + socket() + " refused the connection for " + method
                    + " (is the plugin running?)", ServiceException.REMOTE, e);
        } catch (IOException e) {
            String why = Files.exists(socket(), LinkOption.NOFOLLOW_LINKS) ? String.valueOf(e.getMessage())
                    : "the socket file does not exist";
            throw new ServiceException("Calling " + method + " on plugin socket " + socket() + " failed: " + why,
                    ServiceException.REMOTE, e);
        }
        if (trace) {
            LOG.info("rpc {} -> {} {}", socket(), reply.status(), reply.text().stripTrailing());
        }
        if (reply.status() != 200) {
            throw new ServiceException("Plugin socket " + socket() + " answered " + method + " with HTTP "
                    + reply.status() + ": " + excerpt(reply.text()), ServiceException.REMOTE);
        }
        return new Result<>(decode(method, reply.body(), resultType), reply.headers().get("infrakit-runtime"));
    }

    private <T> T decode(String method, byte[] body, Class<T> resultType) throws RemoteError {
        T result = null;
        boolean hasResult = false;
        RuntimeException resultProblem = null;
        RemoteError error = null;
        try (JsonParser p = ProtocolJson.factory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw notJsonRpc(method, body, null);
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName().toLowerCase(Locale.ROOT);
                t = p.nextToken();
                if (name.equals("error") && t != JsonToken.VALUE_NULL) {
                    error = readError(p, t);
                } else if (name.equals("result") && t != JsonToken.VALUE_NULL) {
                    try {
                        result = READERS.computeIfAbsent(resultType, c -> ProtocolJson.mapper().readerFor(c)
                                .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)).readValue(p);
                        hasResult = true;
                    } catch (JsonProcessingException e) {
                        resultProblem = new ServiceException("Plugin socket " + socket() + " answered " + method
                                + " with a result this runtime cannot read: " + ProtocolJson.describe(e),
                                ServiceException.REMOTE, e);
                        p.skipChildren();
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw notJsonRpc(method, body, null);
            }
        } catch (IOException e) {
            throw notJsonRpc(method, body, e);
        }
        if (error != null) {
            throw error;
        }
        if (resultProblem != null) {
            throw resultProblem;
        }
        if (!hasResult) {
            throw new ServiceException("Plugin socket " + socket() + " answered " + method + " without a result",
                    ServiceException.REMOTE);
        }
        return result;
    }

    /** {@code {code, message, data}}; anything else becomes the message as it is (the reference's rule). */
    private static RemoteError readError(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            return new RemoteError(0, ProtocolJson.copyCurrentValue(p));
        }
        int code = 0;
        String message = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName().toLowerCase(Locale.ROOT);
            JsonToken v = p.nextToken();
            if (name.equals("code") && v == JsonToken.VALUE_NUMBER_INT) {
                code = p.getIntValue();
            } else if (name.equals("message") && v == JsonToken.VALUE_STRING) {
                message = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return new RemoteError(code, message);
    }

    private ServiceException notJsonRpc(String method, byte[] body, Throwable cause) {
        return new ServiceException("Plugin socket " + socket() + " answered " + method
                + " with something that is not a JSON-RPC reply: " + excerpt(new String(body, StandardCharsets.UTF_8)),
                ServiceException.REMOTE, cause);
    }

    private static String excerpt(String text) {
        String t = text.strip().replace('\n', ' ');
        return t.isEmpty() ? "(empty)" : t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    /** Closes the pooled connections; later calls fail with a {@link ServiceException}. */
    @Override
    public void close() {
        closed = true;
        http.close();
    }
}
