package org.infrakit.rpc.impl.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Supplier;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.IteratingCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP routes of a plugin socket (wire.md §1.1, departures D2): {@code /} is JSON-RPC,
 * {@code /info/api.json} and {@code /info/functions.json} describe the plugin, {@code /events}
 * has no topics, anything else is 404. Every response carries {@value #RUNTIME_HEADER}.
 *
 * <p>The request body is read without holding a thread (demand callbacks), into a buffer that
 * grows with what has arrived (never sized by the declared length), so a client that sends half a
 * request only costs a connection and what it sent, until its read deadline or the idle timeout
 * closes it.
 */
final class RpcHandler extends Handler.Abstract {
    /** Response header naming the runtime that serves the socket; the importer skips its own sockets by it. */
    static final String RUNTIME_HEADER = "Infrakit-Runtime";

    private static final Logger LOG = LoggerFactory.getLogger(RpcHandler.class);
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final String name;
    private final String runtimeId;
    private final Supplier<PluginObjects> objects;
    private final JsonRpcDispatcher dispatcher;
    private final long maxBody;
    private final boolean trace;

    RpcHandler(String name, String runtimeId, Supplier<PluginObjects> objects, long maxBody, boolean trace) {
        super(InvocationType.BLOCKING);
        this.name = name;
        this.runtimeId = runtimeId;
        this.objects = objects;
        this.dispatcher = new JsonRpcDispatcher(name);
        this.maxBody = maxBody;
        this.trace = trace;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        response.getHeaders().put(RUNTIME_HEADER, runtimeId);
        String path = request.getHttpURI().getPath();
        boolean rpc = "/".equals(path) && "POST".equals(request.getMethod());
        if (!rpc && request.getLength() <= 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
            arrived(request);
        }
        switch (path == null ? "" : path) {
            case "/" -> rpc(request, response, callback);
            case "/info/api.json" -> send(response, callback, 200, JSON,
                    ApiInfo.describe(objects.get(), System.currentTimeMillis() / 1000));
            case "/info/functions.json" -> send(response, callback, 200, JSON, "{}");
            case "/events" -> {
                Fields query = Request.extractQueryParameters(request);
                String topic = query.getValue("topic");
                topic = topic == null ? "" : topic.startsWith("/") ? topic.substring(1) : topic;
                send(response, callback, 404, TEXT, "invalid topic: " + topic + "\n");
            }
            default -> send(response, callback, 404, TEXT, "404 page not found\n");
        }
        return true;
    }

    private void rpc(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        if (!"POST".equals(method)) {
            send(response, callback, 405, TEXT, "rpc: POST method required, received " + method);
            return;
        }
        // The reference cuts the header at the first ';' without trimming and compares case-insensitively.
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (contentType != null && !contentType.isEmpty()) {
            int semi = contentType.indexOf(';');
            String mime = semi < 0 ? contentType : contentType.substring(0, semi);
            if (!mime.toLowerCase(Locale.ROOT).equals(JSON)) {
                send(response, callback, 415, TEXT, "rpc: unrecognized Content-Type: " + mime);
                return;
            }
        }
        long length = request.getLength();
        if (length > maxBody) {
            tooLarge(response, callback);
            return;
        }
        new BodyReader(request, response, callback, length).run();
    }

    /** The most a body buffer starts with, whatever the request declares. */
    private static final int INITIAL_BODY_BUFFER = 8 * 1024;

    /** Tells the connection that its request is whole, which lifts its read deadline. */
    private static void arrived(Request request) {
        if (request.getConnectionMetaData().getConnection().getEndPoint()
                instanceof UnixSocketConnector.GuardedEndPoint guarded) {
            guarded.requestArrived();
        }
    }

    private void tooLarge(Response response, Callback callback) {
        send(response, callback, 413, TEXT, "rpc: request body larger than " + maxBody + " bytes\n");
    }

    /** Reads the body chunk by chunk as it arrives; dispatches when it is complete. */
    private final class BodyReader implements Runnable {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final ByteArrayOutputStream body;

        BodyReader(Request request, Response response, Callback callback, long length) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            // grows with what arrives: a declared length is only a claim, and a client that
            // declares megabytes and sends a byte now and then must not cost megabytes
            this.body = new ByteArrayOutputStream((int) Math.min(length > 0 ? length : 256, INITIAL_BODY_BUFFER));
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    // idle timeout in the middle of the body, or the client went away
                    callback.failed(chunk.getFailure());
                    return;
                }
                ByteBuffer buf = chunk.getByteBuffer();
                int n = buf.remaining();
                if (body.size() + (long) n > maxBody) {
                    chunk.release();
                    tooLarge(response, callback);
                    return;
                }
                if (buf.hasArray()) {
                    body.write(buf.array(), buf.arrayOffset() + buf.position(), n);
                } else {
                    byte[] b = new byte[n];
                    buf.get(b);
                    body.write(b, 0, n);
                }
                boolean last = chunk.isLast();
                chunk.release();
                if (last) {
                    arrived(request);
                    answer(body.toByteArray(), response, callback);
                    return;
                }
            }
        }
    }

    private void answer(byte[] body, Response response, Callback callback) {
        if (trace) {
            LOG.info("rpc {} <- {}", name, new String(body, StandardCharsets.UTF_8));
        }
        byte[] reply = dispatcher.dispatch(objects.get(), body);
        if (trace) {
            LOG.info("rpc {} -> {}", name, reply.length == 0 ? "(empty)"
                    : new String(reply, 0, reply.length - 1, StandardCharsets.UTF_8));
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.length);
        if (reply.length <= SLICE) {
            response.write(true, ByteBuffer.wrap(reply), callback);
        } else {
            new SlicedWrite(response, reply, callback).iterate();
        }
    }

    /**
     * The most one write hands the socket. The socket library copies a heap buffer into a direct
     * one of the same size before it writes; for more than a MiB it allocates that buffer afresh on
     * every write (also for every partial write of a big reply), and the native memory stays until
     * a garbage collection happens to free it: a 56 MB reply cost seconds and gigabytes that way.
     * In slices of this size the library reuses one small buffer per thread.
     */
    static final int SLICE = 64 * 1024;

    /** Writes a big reply slice by slice, each once the one before has gone out. */
    private static final class SlicedWrite extends IteratingCallback {
        private final Response response;
        private final byte[] reply;
        private final Callback callback;
        private int offset;

        SlicedWrite(Response response, byte[] reply, Callback callback) {
            this.response = response;
            this.reply = reply;
            this.callback = callback;
        }

        @Override
        protected Action process() {
            if (offset >= reply.length) {
                return Action.SUCCEEDED;
            }
            int n = Math.min(SLICE, reply.length - offset);
            ByteBuffer slice = ByteBuffer.wrap(reply, offset, n);
            offset += n;
            response.write(offset >= reply.length, slice, this);
            return Action.SCHEDULED;
        }

        @Override
        protected void onCompleteSuccess() {
            callback.succeeded();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            callback.failed(cause);
        }
    }

    private static void send(Response response, Callback callback, int status, String type, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, b.length);
        response.write(true, ByteBuffer.wrap(b), callback);
    }
}
