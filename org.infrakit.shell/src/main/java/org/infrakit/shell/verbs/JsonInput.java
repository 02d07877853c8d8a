package org.infrakit.shell.verbs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;
import org.infrakit.rpc.json.ProtocolJson;

/**
 * Reads the JSON a verb takes from its argument. The argument is inline JSON when it starts with
 * <code>{</code> or {@code [} (after leading white space), standard input when it is {@code -},
 * and otherwise the path of a file, relative paths resolved against the working directory.
 *
 * <p>Every problem (a missing file, text that is not JSON, JSON of the wrong shape) is an
 * {@link InputException} whose message is one line naming the source, e.g.
 * {@code cattle.json: not JSON: Unexpected end-of-input}.
 */
public final class JsonInput {
    private final Path workingDir;
    private final Supplier<InputStream> stdin;

    /**
     * @param workingDir the directory relative paths are resolved against
     * @param stdin supplies standard input for the argument {@code -}; called only then
     */
    public JsonInput(Path workingDir, Supplier<InputStream> stdin) {
        this.workingDir = Objects.requireNonNull(workingDir, "workingDir");
        this.stdin = Objects.requireNonNull(stdin, "stdin");
    }

    /**
     * @param arg inline JSON, {@code -} or a file path
     * @return the JSON value, compacted; {@code null} for the literal {@code null}
     * @throws InputException when the source cannot be read or is not one JSON value
     */
    public RawJson read(String arg) throws InputException {
        String label = label(arg);
        String text = text(arg, label);
        if (text.isBlank()) {
            throw new InputException(label + ": empty, expected JSON");
        }
        try {
            return RawJson.of(text);
        } catch (IllegalArgumentException e) {
            // a shell removes the double quotes of unquoted JSON: {"ID":"a"} arrives as {ID:a}
            String hint = isInline(arg) && arg.indexOf('"') < 0
                    ? " (quote inline JSON in single quotes so that the shell keeps its double quotes)" : "";
            throw new InputException(label + ": " + VerbResult.oneLine(e.getMessage()) + hint, e);
        }
    }

    /**
     * Reads a JSON object and decodes it with the protocol's rules (member names match
     * case-insensitively, unknown members are ignored, types are strict).
     *
     * @param <T> the record type
     * @param arg inline JSON, {@code -} or a file path
     * @param type the record type
     * @param what what the object is, for the message, e.g. {@code a group spec}
     * @return the decoded value
     * @throws InputException when the source cannot be read, is not a JSON object or does not fit
     */
    public <T> T readObject(String arg, Class<T> type, String what) throws InputException {
        RawJson json = read(arg);
        if (json == null || !json.isObject()) {
            throw new InputException(label(arg) + ": " + what + " must be a JSON object");
        }
        try {
            return ProtocolJson.decode(json.json(), type);
        } catch (PluginException e) {
            throw new InputException(label(arg) + ": " + VerbResult.oneLine(e.getMessage()), e);
        }
    }

    /**
     * @param arg an argument
     * @return whether it is inline JSON rather than a path or {@code -}
     */
    public static boolean isInline(String arg) {
        String s = arg == null ? "" : arg.stripLeading();
        return s.startsWith("{") || s.startsWith("[");
    }

    private static String label(String arg) {
        if (isInline(arg)) {
            return "inline JSON";
        }
        return "-".equals(arg) ? "standard input" : arg;
    }

    private String text(String arg, String label) throws InputException {
        if (isInline(arg)) {
            return arg;
        }
        if (arg == null || arg.isEmpty()) {
            throw new InputException("expected JSON, a file path or -, got an empty argument");
        }
        if ("-".equals(arg)) {
            try (InputStream in = stdin.get()) {
                return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(in.readAllBytes()))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new InputException(label + ": not UTF-8 text", e);
            } catch (IOException e) {
                throw new InputException(label + ": cannot read: " + VerbResult.oneLine(e.getMessage()), e);
            }
        }
        Path path;
        try {
            path = workingDir.resolve(arg);
        } catch (InvalidPathException e) {
            throw new InputException(label + ": not a valid path", e);
        }
        if (Files.isDirectory(path)) {
            throw new InputException(label + ": is a directory, expected a JSON file");
        }
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InputException(label + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new InputException(label + ": permission denied", e);
        } catch (CharacterCodingException e) {
            throw new InputException(label + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new InputException(label + ": cannot read: " + VerbResult.oneLine(e.getMessage()), e);
        }
    }
}
