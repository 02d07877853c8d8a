package org.infrakit.launch.impl;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

import org.infrakit.rpc.json.ProtocolJson;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What the launcher remembers of a plugin process while it runs, in
 * {@code <home>/launch/<name>.json}: the next runtime adopts a detachable plugin it left
 * running, and stops one that was left over by a runtime that died without shutting down (its
 * output pipes are broken), and never touches any other process that happens to have the pid.
 *
 * @param name the plugin name
 * @param pid the process id
 * @param start the process's start, as {@link ProcessIdentity#start()}
 * @param started when it was started, ISO-8601, for people reading the file
 * @param command the descriptor's command (to notice a descriptor changed while the runtime was down)
 * @param commandLine the process's argv as the system reported it once it ran
 * @param detachable whether it was launched detachable (output to its log file, not to pipes)
 */
@JsonPropertyOrder({"name", "pid", "start", "started", "command", "commandLine", "detachable"})
record LaunchRecord(@JsonProperty("name") String name, @JsonProperty("pid") long pid,
        @JsonProperty("start") String start, @JsonProperty("started") String started,
        @JsonProperty("command") List<String> command, @JsonProperty("commandLine") List<String> commandLine,
        @JsonProperty("detachable") boolean detachable) {

    /** Canonical constructor. */
    LaunchRecord {
        command = command == null ? List.of() : List.copyOf(command);
        commandLine = commandLine == null ? List.of() : List.copyOf(commandLine);
    }

    /**
     * @param identity the live process's identity
     * @return whether it is the process this record describes
     */
    boolean matches(ProcessIdentity identity) {
        return identity.pid() == pid && identity.start().equals(start) && identity.commandLine().equals(commandLine);
    }

    /**
     * Writes a record atomically: a temporary file in the same directory, flushed, then renamed
     * over the old one, so a crash leaves the old record or the new one, never half of one.
     *
     * @param file the record file
     * @throws IOException when it cannot be written
     */
    void write(Path file) throws IOException {
        LaunchPaths.ensureDirectory(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, ProtocolJson.mapper().writeValueAsBytes(this));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * @param file a record file
     * @return the record, or empty when there is none
     * @throws IOException when the file exists but cannot be read or is not a record
     */
    static Optional<LaunchRecord> read(Path file) throws IOException {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            LaunchRecord r = ProtocolJson.mapper().readValue(data, LaunchRecord.class);
            if (r == null || r.pid() <= 0 || r.start() == null) {
                throw new IOException("launch record " + file + " has no pid or start");
            }
            return Optional.of(r);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("launch record " + file + " is not valid: " + ProtocolJson.describe(e), e);
        }
    }
}
