package org.infrakit.instance.file.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.infrakit.instance.file.impl.TestFiles.age;
import static org.infrakit.instance.file.impl.TestFiles.handWritten;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import org.infrakit.instance.file.impl.FileInstancePlugin.CacheMode;
import org.infrakit.spi.InstanceDescription;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** An instance file larger than {@link InstanceFileLimit#MAX_BYTES} is skipped, the others listed. */
class InstanceFileLimitTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(CacheMode.class)
    void aFileLargerThanTheLimitIsSkippedAndTheOthersAreListed(CacheMode mode) throws Exception {
        age(handWritten(dir, "small", Map.of()));
        Path big = handWritten(dir, "big", Map.of());
        // still valid JSON: trailing white space
        byte[] pad = new byte[1 << 20];
        java.util.Arrays.fill(pad, (byte) ' ');
        for (int i = 0; i < 8; i++) {
            Files.write(big, pad, StandardOpenOption.APPEND);
        }
        age(big);
        assertThat(Files.size(big)).isGreaterThan(InstanceFileLimit.MAX_BYTES);
        try (FileInstancePlugin p = TestFiles.plugin(dir, mode)) {
            assertThat(p.describeInstances(null, true)).extracting(InstanceDescription::id).containsExactly("small");
        }
        assertThat(InstanceFileLimit.tooLarge(Files.size(big))).startsWith("it has " + Files.size(big) + " bytes")
                .endsWith("more than the 8388608 an instance file may have");
    }
}
