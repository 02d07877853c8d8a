package org.infrakit.rpc.client;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP response.
 *
 * @param status the status code
 * @param headers header names lower-cased; the last value of a repeated header
 * @param body the body, de-chunked
 */
public record HttpReply(int status, Map<String, String> headers, byte[] body) {
    /** @return the body as UTF-8 text */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
