package org.infrakit.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.infrakit.group.impl.GroupTags;
import org.infrakit.rpc.impl.server.ServerSettings;
import org.infrakit.spi.GroupSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The disk refuses writes in the instance directory for a while, in the middle of a rolling
 * update that grows the group: nothing half-written appears meanwhile, and once writes work again
 * the group converges with nothing lost and nothing duplicated.
 *
 * <p>The directory is made immutable ({@code chattr +i}: creating, renaming and removing entries
 * fail with EPERM, even for root) where the file system and capabilities allow it; otherwise it is
 * moved aside and a plain file takes its place (every operation then fails).
 *
 * <p>Also, over the plugin's socket: while the directory is immutable, Instance.Provision and
 * Instance.Label answer the application error -32000 with a one-line message naming the file and
 * the reason, and leave the directory exactly as it was.
 */
class DiskRefusesWritesTest {
    private Path root;
    private PluginHost host;
    private Runnable restore = () -> { };

    @AfterEach
    void tearDown() {
        restore.run();
        if (host != null) {
            host.close();
        }
        TempDirs.delete(root);
    }

    /** @param immutableFirst whether to try {@code chattr +i} first (else the directory is replaced by a file) */
    @ParameterizedTest(name = "chattr +i first: {0}")
    @ValueSource(booleans = {true, false})
    void aDirectoryThatRefusesWritesForAWhileLosesAndDuplicatesNothing(boolean immutableFirst) throws Exception {
        root = TempDirs.create();
        host = new PluginHost(root, ServerSettings.DEFAULTS, InstancePluginFaultsTest.FAST, false, p -> p);
        Convergence convergence = new Convergence(host.instanceDir, host.engine, "disk");
        GroupSpec v1 = Specs.cattle("disk", 5, PluginHost.INSTANCE, "v1");
        host.engine.commitGroup(v1, false);
        convergence.await(5, Specs.hash(v1), Duration.ofSeconds(30), Duration.ofMillis(300));

        // the rolling update starts, and the disk fails under it
        GroupSpec v2 = Specs.cattle("disk", 7, PluginHost.INSTANCE, "v2");
        host.engine.commitGroup(v2, false);
        boolean immutable = refuseWrites(host.instanceDir, immutableFirst);
        long until = System.nanoTime() + Scale.times(Duration.ofSeconds(3)).toNanos();
        while (System.nanoTime() < until) {
            if (immutable) {
                // every write fails cleanly: nothing half-written. (A write that created its
                // temporary file just before the directory became immutable cannot remove it
                // either: the plugin removes it once it can, which the convergence below checks.)
                InstanceFiles.Listing l = InstanceFiles.read(host.instanceDir);
                assertThat(l.strays()).isEmpty();
                assertThat(l.instances().values()).allSatisfy(m -> assertThat(m.tag(GroupTags.GROUP)).isEqualTo("disk"));
            }
            Poll.sleep(100);
        }
        restore.run();
        restore = () -> { };

        convergence.await(7, Specs.hash(v2), Duration.ofSeconds(60), Duration.ofSeconds(1));
    }

    @Test
    void anImmutableDirectoryRefusesProvisionAndLabelOverTheSocketAndStaysAsItWas() throws Exception {
        root = TempDirs.create();
        host = new PluginHost(root, ServerSettings.DEFAULTS, InstancePluginFaultsTest.FAST, false, p -> p);
        Path socket = host.socket(PluginHost.INSTANCE);
        String provision = "{\"jsonrpc\":\"2.0\",\"method\":\"Instance.Provision\",\"params\":{\"Type\":\"\","
                + "\"Spec\":{\"Properties\":{\"n\":1},\"Tags\":{\"tier\":\"web\"}}},\"id\":1}";
        String id = Replies.single(Http.send(socket, Http.post(provision))).path("result").path("ID").textValue();
        assertThat(id).startsWith("instance-");
        assumeTrue(makeImmutable(host.instanceDir), "needs chattr +i, enforced (root on ext4 or the like)");
        Map<String, String> before = snapshot(host.instanceDir);

        JsonNode provisionError = Replies.error(Http.send(socket, Http.post(provision)));
        assertThat(provisionError.path("code").intValue()).isEqualTo(Replies.APPLICATION_ERROR);
        assertThat(provisionError.path("message").textValue()).matches("open "
                + Pattern.quote(host.instanceDir.toString()) + "/instance-\\d+: operation not permitted");
        JsonNode labelError = Replies.error(Http.send(socket, Http.post("{\"jsonrpc\":\"2.0\",\"method\":"
                + "\"Instance.Label\",\"params\":{\"Type\":\"\",\"Instance\":\"" + id + "\",\"Labels\":{\"tier\":"
                + "\"db\"}},\"id\":2}")));
        assertThat(labelError.path("code").intValue()).isEqualTo(Replies.APPLICATION_ERROR);
        assertThat(labelError.path("message").textValue())
                .isEqualTo("open " + host.instanceDir.resolve(id) + ": operation not permitted");

        assertThat(snapshot(host.instanceDir)).as("the directory after the refused calls").isEqualTo(before);
        JsonNode described = Replies.single(Http.send(socket, Http.post("{\"jsonrpc\":\"2.0\",\"method\":"
                + "\"Instance.DescribeInstances\",\"params\":{\"Type\":\"\",\"Tags\":{}},\"id\":3}")));
        assertThat(described.path("result").path("Descriptions").findValuesAsText("ID")).containsExactly(id);
        assertThat(described.path("result").path("Descriptions").get(0).path("Tags").path("tier").textValue())
                .isEqualTo("web");
    }

    /**
     * Every entry of a directory with its content and mtime, and the directory's own mtime.
     *
     * @param dir the directory
     * @return entry name to {@code <content> @<mtime millis>}; {@code .} for the directory
     */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        out.put(".", "@" + Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).toMillis());
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                out.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.ISO_8859_1) + " @"
                        + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis());
            }
        }
        return out;
    }

    /**
     * Sets {@code chattr +i} on the directory and checks that it is enforced; sets
     * {@link #restore} to undo it.
     *
     * @return whether the directory refuses new entries now
     */
    private boolean makeImmutable(Path dir) throws IOException {
        if (run("chattr", "+i", dir.toString()) != 0) {
            return false;
        }
        restore = () -> run("chattr", "-i", dir.toString());
        try {
            Files.createFile(dir.resolve("probe"));
        } catch (IOException e) {
            return true;
        }
        Files.delete(dir.resolve("probe"));
        restore.run(); // immutable flags are not enforced here
        restore = () -> { };
        return false;
    }

    /** @return whether the directory was made immutable (else it was replaced by a file) */
    private boolean refuseWrites(Path dir, boolean immutableFirst) throws Exception {
        if (immutableFirst && makeImmutable(dir)) {
            return true;
        }
        Path aside = dir.resolveSibling(dir.getFileName() + ".aside");
        Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(dir, "not a directory");
        restore = () -> {
            try {
                Files.delete(dir);
                Files.move(aside, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new AssertionError("cannot put the instance directory back", e);
            }
        };
        return false;
    }

    private static int run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
