package org.infrakit.instance.file.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.infrakit.instance.file.impl.TestFiles.plugin;
import static org.infrakit.instance.file.impl.TestFiles.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.infrakit.spi.Attachment;
import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;
import org.infrakit.rpc.json.ProtocolJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class FileInstancePluginTest {
    private static final InstanceSpec CATTLE = InstanceSpec.of(RawJson.of("{\"Note\":\"v1\"}"),
            Map.of("infrakit.group", "cattle", "tier", "web"), "echo hi", null,
            List.of(new Attachment("attachid", "attachtype")));

    @TempDir
    Path tmp;

    private Path dir;
    private FileInstancePlugin plugin;

    @BeforeEach
    void start() throws PluginException {
        dir = tmp.resolve("instances");
        plugin = plugin(dir, FileInstancePlugin.CacheMode.WATCH);
    }

    @AfterEach
    void stop() {
        plugin.close();
    }

    private static InstanceSpec spec(String group, String logicalID) {
        return InstanceSpec.of(RawJson.of("{}"), Map.of("infrakit.group", group), "", logicalID, null);
    }

    @Test
    void theDirectoryIsCreatedWithItsParents() {
        assertThat(dir).isDirectory();
    }

    @Test
    void provisionWritesTheReferenceFormatUnderARandom63BitId() throws Exception {
        String id = plugin.provision(CATTLE);
        assertThat(id).matches("instance-(0|[1-9][0-9]{0,18})");
        assertThat(Long.parseUnsignedLong(id.substring("instance-".length()))).isNotNegative();
        Path file = dir.resolve(id);
        assertThat(Files.readString(file)).isEqualTo("{\n\"ID\": \"" + id + "\",\n\"LogicalID\": null,\n\"Tags\": {\n"
                + "\"infrakit.group\": \"cattle\",\n\"tier\": \"web\"\n},\n\"Spec\": {\n\"Properties\": {\n\"Note\": \"v1\"\n},\n"
                + "\"Tags\": {\n\"infrakit.group\": \"cattle\",\n\"tier\": \"web\"\n},\n\"Init\": \"echo hi\",\n"
                + "\"LogicalID\": null,\n\"Attachments\": [\n{\n\"ID\": \"attachid\",\n\"Type\": \"attachtype\"\n}\n]\n}\n}");
        // 0644 less the umask: readable by all, written by the owner only
        assertThat(Files.getPosixFilePermissions(file)).contains(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE).doesNotContain(PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OWNER_EXECUTE);
        assertThat(plugin.provision(CATTLE)).isNotEqualTo(id);
    }

    @Test
    void provisionNeverOverwritesAnExistingFile() throws Exception {
        Files.writeString(dir.resolve("instance-7"), "keep me");
        Random sequence = new Random() {
            private static final long serialVersionUID = 1L;
            private int n;

            @Override
            public long nextLong() {
                return n++ == 0 ? 7 : 8;
            }
        };
        try (FileInstancePlugin p = new FileInstancePlugin("x", dir, Clock.systemUTC(), sequence,
                FileInstancePlugin.CacheMode.WATCH)) {
            assertThat(p.provision(CATTLE)).isEqualTo("instance-8");
        }
        assertThat(Files.readString(dir.resolve("instance-7"))).isEqualTo("keep me");
    }

    @Test
    void emptySpecProvisionsGoZeroValues() throws Exception {
        String id = plugin.provision(new InstanceSpec(null, null, null, null, null));
        assertThat(Files.readString(dir.resolve(id))).isEqualTo("{\n\"ID\": \"" + id + "\",\n\"LogicalID\": null,\n"
                + "\"Tags\": null,\n\"Spec\": {\n\"Properties\": null,\n\"Tags\": null,\n\"Init\": \"\",\n"
                + "\"LogicalID\": null,\n\"Attachments\": null\n}\n}");
    }

    @Test
    void labelMergesTagsKeepsTheSpecAndIsSeenByTheVeryNextDescribe() throws Exception {
        String id = plugin.provision(CATTLE);
        assertThat(plugin.describeInstances(null, false)).singleElement()
                .satisfies(d -> assertThat(d.tags()).containsEntry("tier", "web"));

        plugin.label(id, Map.of("tier", "db", "new", "1"));

        InstanceDescription d = plugin.describeInstances(Map.of("tier", "db"), true).get(0);
        assertThat(d.tags()).containsExactly(Map.entry("infrakit.group", "cattle"), Map.entry("new", "1"),
                Map.entry("tier", "db"));
        assertThat(d.properties().json()).isEqualTo(ProtocolJson.write(CATTLE)); // Spec untouched
        assertThat(plugin.describeInstances(Map.of("tier", "web"), false)).isEmpty();
    }

    @Test
    void aTopLevelPropertiesMemberOfAHandMadeFileSurvivesALabelButIsNotReported() throws Exception {
        Files.writeString(dir.resolve("hand"), "{\"ID\":\"hand\",\"Properties\":{\"x\":1},\"Spec\":{\"Init\":\"i\"}}");
        plugin.label("hand", Map.of("a", "b"));
        assertThat(Files.readString(dir.resolve("hand"))).isEqualTo("{\n\"ID\": \"hand\",\n\"LogicalID\": null,\n"
                + "\"Tags\": {\n\"a\": \"b\"\n},\n\"Properties\": {\n\"x\": 1\n},\n\"Spec\": {\n\"Properties\": null,\n"
                + "\"Tags\": null,\n\"Init\": \"i\",\n\"LogicalID\": null,\n\"Attachments\": null\n}\n}");
        assertThat(plugin.describeInstances(null, false).get(0).properties()).isNull();
        assertThat(plugin.describeInstances(null, true).get(0).properties().json()).startsWith("{\"Properties\":null,");
    }

    @Test
    void labellingAFileWithNullTagsCreatesTheMap() throws Exception {
        String id = plugin.provision(new InstanceSpec(null, null, "", null, null));
        plugin.label(id, Map.of());
        assertThat(Files.readString(dir.resolve(id))).contains("\"Tags\": {},");
    }

    @Test
    void destroyRemovesTheFileAndTheVeryNextDescribeKnows() throws Exception {
        String a = plugin.provision(spec("g", null));
        String b = plugin.provision(spec("g", null));
        assertThat(plugin.describeInstances(null, false)).hasSize(2);
        plugin.destroy(a, DestroyContext.TERMINATING);
        assertThat(dir.resolve(a)).doesNotExist();
        assertThat(plugin.describeInstances(null, false)).extracting(InstanceDescription::id).containsExactly(b);
        plugin.destroy(b, null); // the context is not used
    }

    @Test
    void errorsForMissingInstancesAreTheReferenceTexts() throws Exception {
        Map<String, String> before = snapshot(dir);
        assertThatThrownBy(() -> plugin.destroy("instance-1", DestroyContext.TERMINATING))
                .isInstanceOf(PluginException.class)
                .hasMessage("remove " + dir + "/instance-1: no such file or directory");
        assertThatThrownBy(() -> plugin.label("instance-1", Map.of("a", "b")))
                .isInstanceOf(PluginException.class)
                .hasMessage("open " + dir + "/instance-1: no such file or directory");
        assertThat(snapshot(dir)).isEqualTo(before);
    }

    @Test
    void relativeDirectoriesAppearInMessagesAsGivenLexicallyCleaned() throws Exception {
        // surefire runs in the module directory; target/ is ours to write
        Path relative = Paths.get("./target/../target/relative-dir-test");
        try (FileInstancePlugin p = plugin(relative, FileInstancePlugin.CacheMode.WATCH)) {
            assertThat(p.dir().toString()).isEqualTo("target/relative-dir-test");
            assertThatThrownBy(() -> p.destroy("instance-1", null))
                    .hasMessage("remove target/relative-dir-test/instance-1: no such file or directory");
        } finally {
            Files.deleteIfExists(relative);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../instances", "a/b", "/etc/passwd", "a\\b", "x..y", "a\u0000b"})
    void badIdsAreRefusedAndNothingIsTouched(String id) throws Exception {
        plugin.provision(CATTLE);
        Files.writeString(tmp.resolve("outside"), "{}");
        Map<String, String> before = snapshot(tmp);

        assertThatThrownBy(() -> plugin.destroy(id, DestroyContext.TERMINATING))
                .isInstanceOf(PluginException.class)
                .hasMessageStartingWith("invalid instance ID " + ProtocolJson.write(id) + ": it must");
        assertThatThrownBy(() -> plugin.label(id, Map.of("a", "b")))
                .isInstanceOf(PluginException.class)
                .hasMessageStartingWith("invalid instance ID " + ProtocolJson.write(id) + ": it must");
        assertThat(snapshot(tmp)).isEqualTo(before);
    }

    @Test
    void aNullIdIsRefused() {
        assertThatThrownBy(() -> plugin.destroy(null, null)).hasMessage("invalid instance ID \"\": it must not be empty");
    }

    @Test
    void anIdNamingADirectoryIsNeverDeleted() throws Exception {
        Files.createDirectory(dir.resolve("sub"));
        assertThatThrownBy(() -> plugin.destroy("sub", null))
                .isInstanceOf(PluginException.class)
                .hasMessage("remove " + dir + "/sub: is a directory, not an instance file");
        assertThatThrownBy(() -> plugin.label("sub", Map.of()))
                .isInstanceOf(PluginException.class)
                .hasMessage("read " + dir + "/sub: is a directory");
        assertThat(dir.resolve("sub")).isDirectory();
    }

    @Test
    void labellingAFileThatIsNotAnInstanceFailsAndLeavesIt() throws Exception {
        Files.writeString(dir.resolve("junk"), "not json");
        Files.writeString(dir.resolve("typed"), "{\"ID\":5}");
        Map<String, String> before = snapshot(dir);
        assertThatThrownBy(() -> plugin.label("junk", Map.of("a", "b")))
                .isInstanceOf(PluginException.class)
                .hasMessageStartingWith(dir + "/junk is not an instance file: ");
        assertThatThrownBy(() -> plugin.label("typed", Map.of("a", "b")))
                .isInstanceOf(PluginException.class)
                .hasMessage(dir + "/typed is not an instance file: ID must be a string");
        assertThat(snapshot(dir)).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "\"text\"", "42", "true"})
    void validateWantsAnObject(String properties) {
        assertThatThrownBy(() -> plugin.validate(RawJson.of(properties)))
                .isInstanceOf(PluginException.class)
                .hasMessageStartingWith("invalid file instance properties: they must be a JSON object, not a");
    }

    @Test
    void validateAcceptsAnyObjectAndNull() throws PluginException {
        plugin.validate(RawJson.of("{\"anything\":[1,{\"x\":null}]}"));
        plugin.validate(RawJson.of("{}"));
        plugin.validate(null); // the reference crashed here
    }

    @Test
    void describeFiltersByEveryPairAndAMissingTagCountsAsEmpty() throws Exception {
        TestFiles.handWritten(dir, "a", Map.of("g", "1", "x", "y"));
        TestFiles.handWritten(dir, "b", Map.of("g", "1"));
        TestFiles.handWritten(dir, "c", Map.of("g", "2", "x", "y"));

        assertThat(ids(Map.of("g", "1", "x", "y"))).containsExactly("a");
        assertThat(ids(Map.of("g", "1"))).containsExactly("a", "b");
        assertThat(ids(Map.of("x", ""))).containsExactly("b");
        assertThat(ids(Map.of())).containsExactly("a", "b", "c");
        assertThat(ids(null)).containsExactly("a", "b", "c");
        assertThat(ids(Map.of("nosuch", "v"))).isEmpty();
    }

    private List<String> ids(Map<String, String> filter) throws PluginException {
        return plugin.describeInstances(filter, false).stream().map(InstanceDescription::id).toList();
    }

    @Test
    void describeIsInFileNameOrderAndReadsHandWrittenFiles() throws Exception {
        TestFiles.handWritten(dir, "instance-9", Map.of());
        TestFiles.handWritten(dir, "instance-10", Map.of());
        TestFiles.handWritten(dir, "Z", Map.of());
        Files.writeString(dir.resolve("mixed"), "{\"id\":\"mixed\",\"logicalid\":\"l1\",\"tags\":{\"k\":\"v\"}}");
        Files.writeString(dir.resolve("t"), "{\"ID\":\"t\"} trailing text is ignored, as Go's decoder does");

        List<InstanceDescription> all = plugin.describeInstances(null, false);
        assertThat(all).extracting(InstanceDescription::id)
                .containsExactly("Z", "instance-10", "instance-9", "mixed", "t");
        assertThat(all.get(3).logicalID()).isEqualTo("l1");
        assertThat(all.get(3).tags()).containsExactly(Map.entry("k", "v"));
        assertThat(all.get(4).tags()).isNull();
        // a file without Spec reports Go's zero spec as its properties
        assertThat(plugin.describeInstances(null, true).get(4).properties().json())
                .isEqualTo("{\"Properties\":null,\"Tags\":null,\"Init\":\"\",\"LogicalID\":null,\"Attachments\":null}");
    }

    /**
     * Case 5 of the safety review: a copy of one group's member under a new name, with the ID of
     * another group's member. Described, it would hand out that member's ID to the first group,
     * whose Destroy would then delete the other group's file.
     */
    @ParameterizedTest
    @EnumSource(FileInstancePlugin.CacheMode.class)
    void aFileWhoseIdIsNotItsNameIsNotAnInstanceAndIsReportedOncePerChange(FileInstancePlugin.CacheMode mode)
            throws Exception {
        try (FileInstancePlugin p = plugin(tmp.resolve("by-" + mode), mode);
                LogCapture log = new LogCapture(InstanceIndex.class)) {
            Path d = p.dir();
            String a = p.provision(spec("A", null));
            String b = p.provision(spec("B", null));
            String copy = "instance-copy-of-a";
            Files.writeString(d.resolve(copy), Files.readString(d.resolve(a)).replace(a, b));
            Files.writeString(d.resolve("empty-object"), "{}");

            for (int pass = 0; pass < 3; pass++) {
                assertThat(p.describeInstances(null, false)).extracting(InstanceDescription::id)
                        .containsExactlyInAnyOrder(a, b);
                assertThat(p.describeInstances(Map.of("infrakit.group", "A"), false))
                        .extracting(InstanceDescription::id).containsExactly(a);
            }
            assertThat(log.lines()).containsExactlyInAnyOrder(
                    "WARN Skipping " + d.resolve(copy) + ": its ID \"" + b + "\" is not its file name; an instance "
                            + "file must be named after its ID",
                    "WARN Skipping " + d.resolve("empty-object") + ": its ID \"\" is not its file name; an "
                            + "instance file must be named after its ID");

            assertThatThrownBy(() -> p.label(copy, Map.of("x", "y")))
                    .isInstanceOf(PluginException.class)
                    .hasMessageStartingWith(d.resolve(copy) + " is not an instance file: its ID \"" + b + "\"");
            assertThat(Files.readString(d.resolve(b))).contains("\"infrakit.group\": \"B\"");

            // edited, the file is looked at (and reported) again; named after its ID, it is an instance
            Files.writeString(d.resolve(copy), Files.readString(d.resolve(a)).replace(a, copy));
            DescribeCacheTest.awaitDescribed(p, copy);
            assertThat(log.lines()).hasSize(2);
        }
    }

    @Test
    void entriesThatAreNotInstancesAreSkipped() throws Exception {
        String id = plugin.provision(spec("g", null));
        Files.createDirectory(dir.resolve("a-directory"));
        Files.writeString(dir.resolve("notes.txt"), "not json");
        Files.writeString(dir.resolve("array"), "[1,2]");
        Files.writeString(dir.resolve("wrong-type"), "{\"Tags\":[]}");
        Files.write(dir.resolve("empty"), new byte[0]);
        Files.writeString(dir.resolve(".x." + "123" + AtomicFiles.TMP_SUFFIX), "{\"ID\":\"half-written\"}");
        assertThat(ids(null)).containsExactly(id);
    }

    @Test
    void aFreshPluginReadsTheDirectoryTheOldOneWrote() throws Exception {
        String a = plugin.provision(CATTLE);
        String b = plugin.provision(spec("other", "lid-1"));
        String c = plugin.provision(CATTLE);
        plugin.label(a, Map.of("labelled", "yes"));
        plugin.destroy(c, DestroyContext.TERMINATING);
        List<InstanceDescription> before = plugin.describeInstances(null, true);
        plugin.close();

        try (FileInstancePlugin restarted = plugin(dir, FileInstancePlugin.CacheMode.WATCH)) {
            List<InstanceDescription> after = restarted.describeInstances(null, true);
            assertThat(ProtocolJson.write(after)).isEqualTo(ProtocolJson.write(before));
            assertThat(after).extracting(InstanceDescription::id).containsExactlyInAnyOrder(a, b);
            restarted.destroy(b, null);
            assertThat(restarted.describeInstances(Map.of("labelled", "yes"), false)).extracting(InstanceDescription::id)
                    .containsExactly(a);
        }
    }

    @Test
    void theGoldenFileIsReadAsAnInstance() throws Exception {
        Files.writeString(dir.resolve(TestFiles.GOLDEN_ID), TestFiles.goldenFile());
        InstanceDescription d = plugin.describeInstances(Map.of("infrakit.group", "cattle"), true).get(0);
        assertThat(d.id()).isEqualTo(TestFiles.GOLDEN_ID);
        assertThat(d.logicalID()).isNull();
        assertThat(d.tags()).containsEntry("infrakit.config_sha", "x4nrsdaibscmj7awpkxzx5vvpt6pilw2");
        assertThat(d.properties().decode(InstanceSpec.class).init())
                .isEqualTo("docker pull nginx:alpine\ndocker run -d -p 80:80 nginx-alpine");
        // labelling rewrites it in the same format: nothing but the tags changes
        plugin.label(TestFiles.GOLDEN_ID, Map.of("infrakit.group", "cattle"));
        assertThat(Files.readString(dir.resolve(TestFiles.GOLDEN_ID))).isEqualTo(TestFiles.goldenFile());
    }

    @Test
    void theDirectoryBeingAFileIsAClearErrorAtStart() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertThatThrownBy(() -> plugin(file, FileInstancePlugin.CacheMode.WATCH))
                .isInstanceOf(PluginException.class)
                .hasMessage("instance directory " + file + " is not a directory");
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void aDirectoryUnderAFileIsAClearErrorAtStart() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Map<String, String> before = snapshot(tmp);
        assertThatThrownBy(() -> plugin(file.resolve("instances"), FileInstancePlugin.CacheMode.WATCH))
                .isInstanceOf(PluginException.class)
                .hasMessage("cannot create instance directory " + file.resolve("instances") + ": " + file
                        + " is not a directory");
        assertThat(snapshot(tmp)).isEqualTo(before);
    }

    /**
     * Tests run as root, for whom permission bits do not stop writes; an immutable directory
     * ({@code chattr +i}) does. Where chattr is not available (or not allowed), the test is skipped;
     * the two tests above cover unusable directories everywhere.
     */
    @Test
    void aDirectoryThatCannotBeWrittenIsAClearErrorAtStart() throws Exception {
        Path ro = Files.createDirectory(tmp.resolve("read-only"));
        org.junit.jupiter.api.Assumptions.assumeTrue(chattr("+i", ro), "chattr +i not available here");
        try {
            assertThatThrownBy(() -> plugin(ro, FileInstancePlugin.CacheMode.WATCH))
                    .isInstanceOf(PluginException.class)
                    .hasMessage("instance directory " + ro + " cannot be written: operation not permitted");
        } finally {
            chattr("-i", ro);
        }
    }

    @Test
    void writeFailuresAfterStartLeaveNothingBehind() throws Exception {
        String id = plugin.provision(CATTLE);
        org.junit.jupiter.api.Assumptions.assumeTrue(chattr("+i", dir), "chattr +i not available here");
        Map<String, String> before;
        try {
            before = snapshot(dir);
            assertThatThrownBy(() -> plugin.provision(CATTLE))
                    .isInstanceOf(PluginException.class)
                    .hasMessageMatching("open " + java.util.regex.Pattern.quote(dir.toString())
                            + "/instance-\\d+: operation not permitted");
            assertThatThrownBy(() -> plugin.label(id, Map.of("a", "b")))
                    .isInstanceOf(PluginException.class)
                    .hasMessage("open " + dir + "/" + id + ": operation not permitted");
            assertThatThrownBy(() -> plugin.destroy(id, null))
                    .isInstanceOf(PluginException.class)
                    .hasMessage("remove " + dir + "/" + id + ": operation not permitted");
            assertThat(snapshot(dir)).isEqualTo(before);
        } finally {
            chattr("-i", dir);
        }
    }

    @Test
    void aDirectoryReplacedByAFileAfterStartGivesClearErrorsAndNothingIsWritten() throws Exception {
        plugin.provision(CATTLE);
        deleteTree(dir);
        Files.writeString(dir, "now a file");
        assertThatThrownBy(() -> plugin.provision(CATTLE))
                .isInstanceOf(PluginException.class)
                .hasMessageMatching("open .*/instance-\\d+: not a directory");
        assertThatThrownBy(() -> plugin.describeInstances(null, false))
                .isInstanceOf(PluginException.class)
                .hasMessage("open " + dir + ": not a directory");
        assertThat(Files.readString(dir)).isEqualTo("now a file");
    }

    @Test
    void aDeletedDirectoryIsReportedLikeTheReferenceAndRecreatingItWorks() throws Exception {
        plugin.provision(CATTLE);
        deleteTree(dir);
        assertThatThrownBy(() -> plugin.describeInstances(null, false))
                .hasMessage("open " + dir + ": no such file or directory");
        assertThatThrownBy(() -> plugin.provision(CATTLE))
                .hasMessageMatching("open .*/instance-\\d+: no such file or directory");
        Files.createDirectory(dir);
        TestFiles.handWritten(dir, "back", Map.of());
        assertThat(ids(null)).containsExactly("back");
    }

    @Test
    void staleTemporaryFilesAreRemovedAtStartFreshOnesKept() throws Exception {
        Path stale = Files.writeString(dir.resolve(".instance-1.abc" + AtomicFiles.TMP_SUFFIX), "{");
        Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Path fresh = Files.writeString(dir.resolve(".instance-2.abc" + AtomicFiles.TMP_SUFFIX), "{");
        Path handFile = Files.writeString(dir.resolve(".hidden"), "{}");
        Files.setLastModifiedTime(handFile, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        plugin(dir, FileInstancePlugin.CacheMode.WATCH).close();
        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
        assertThat(handFile).exists();
    }

    @Test
    void concurrentProvisionsLabelsAndDescribesStayConsistent() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "file-instance-test"));
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ids.add(pool.submit(() -> plugin.provision(spec("g", null))));
            }
            List<Future<?>> work = new ArrayList<>();
            for (Future<String> f : ids) {
                String id = f.get();
                work.add(pool.submit(() -> {
                    plugin.label(id, Map.of("a", "1"));
                    plugin.label(id, Map.of("b", "2"));
                    return plugin.describeInstances(Map.of("infrakit.group", "g"), false);
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            assertThat(plugin.describeInstances(Map.of("a", "1", "b", "2"), false)).hasSize(40);
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files).hasSize(40); // no temporary file left
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closedPluginsRefuseToDescribe() {
        plugin.close();
        assertThatThrownBy(() -> plugin.describeInstances(null, false)).hasMessageContaining("stopped");
    }

    @Test
    void anInvalidPluginNameIsRefused() {
        assertThatThrownBy(() -> new FileInstancePlugin("a/b", dir)).isInstanceOf(PluginException.class)
                .hasMessageContaining("must not contain '/'");
    }

    static boolean chattr(String flag, Path path) {
        try {
            Process p = new ProcessBuilder("chattr", flag, path.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                return false;
            }
            if (flag.startsWith("+")) {
                // chattr succeeded, but is the directory really unwritable?
                try {
                    Files.delete(Files.createFile(path.resolve("probe")));
                    chattr("-i", path);
                    return false;
                } catch (IOException expected) {
                    return true;
                }
            }
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    @Test
    void theFileFormatRoundTripsUnusualContent() throws Exception {
        InstanceSpec odd = InstanceSpec.of(RawJson.of("{\"s\":\"a,b:{c}[d]\\\"e\\\\\",\"n\":1.50,\"e\":{},\"a\":[],"
                + "\"nested\":[{},[[]],{\"k\":[1,2]}]}"), Map.of("<html>", "&amp;", "ü", "\u2028"),
                "line1\nline2\t\"quoted\"", "lid", List.of());
        String id = plugin.provision(odd);
        String text = Files.readString(dir.resolve(id), StandardCharsets.UTF_8);
        assertThat(text).contains("\"e\": {},\n\"a\": [],\n").contains("\"n\": 1.50,").contains("\"Attachments\": []")
                .contains("\"\\u003chtml\\u003e\": \"\\u0026amp;\"").contains("\"s\": \"a,b:{c}[d]\\\"e\\\\\"");
        InstanceDescription d = plugin.describeInstances(Map.of("ü", "\u2028"), true).get(0);
        assertThat(d.properties().json()).isEqualTo(ProtocolJson.write(odd));
        assertThat(d.logicalID()).isEqualTo("lid");
    }
}
