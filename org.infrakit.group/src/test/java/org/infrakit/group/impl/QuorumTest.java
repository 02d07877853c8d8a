package org.infrakit.group.impl;

import static org.assertj.core.api.Assertions.assertThat;

import org.infrakit.spi.GroupSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The quorum's decisions, from tables: no plugin, no thread, no clock. */
class QuorumTest {

    @ParameterizedTest(name = "IDs [{0}], listed [{1}], pending [{2}]: {3}")
    @CsvSource(delimiter = '|', value = {
        "a,b,c|                  |   |create a b c",
        "a,b,c|i1:a              |b  |create c",
        "a,b  |i1:a,i2:b         |   |''",
        "a,b  |i1:a,i3:x,i2:b    |   |destroy i3 terminate",
        "a,b  |i9:y,i1:x         |   |destroy i1 i9 terminate; create a b",
        // duplicates are only warned about; members without a logical ID are not the quorum's
        "a    |i1:a,i2:a         |   |''",
        "a    |i1:-              |   |create a",
        // a pending creation counts only for its own logical ID
        "a,b  |                  |a  |create b",
    })
    void plansOneInstancePerLogicalID(String ids, String listed, String pending, String expected) {
        assertThat(Plans.describe(Quorum.plan("g", Plans.split(ids), Plans.members(listed, "h"), Plans.split(pending))))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "IDs [{0}], listed [{1}]: converged {2}")
    @CsvSource(delimiter = '|', value = {
        "a,b|i1:a,i2:b          |true",
        "a,b|i1:a,i2:b,i3:-     |true",
        "a,b|i1:a               |false",
        "a,b|i1:a,i2:b,i3:b     |false",
        "a,b|i1:a,i2:b,i3:c     |false",
        "a,b|i1:a,i2:b:old      |false",
    })
    void convergedWhenExactlyOnePerLogicalIDOnTheCurrentConfiguration(String ids, String listed, boolean converged)
            throws Exception {
        GroupSpec spec = Harness.pets("g", Plans.split(ids), "v1");
        GroupSettings gs = GroupSettings.of("g", GroupProperties.parse(spec.properties()));
        assertThat(Quorum.converged(gs, Plans.members(listed, gs.hash()))).isEqualTo(converged);
    }
}
