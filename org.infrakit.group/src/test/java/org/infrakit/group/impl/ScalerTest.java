package org.infrakit.group.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;

import org.infrakit.spi.GroupSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The scaler's decisions, from tables: no plugin, no thread, no clock. */
class ScalerTest {

    @ParameterizedTest(name = "{0} wanted, listed [{1}], {2} pending: {3}")
    @CsvSource(delimiter = '|', value = {
        "3|           |0|create 3 from 0",
        "3|i1,i2      |0|create 1 from 2",
        "3|i1,i2      |1|''",
        "3|i1         |1|create 1 from 2",
        "2|i1,i2      |0|''",
        // surplus is judged on listed members only: pending creations never cause a destruction
        "2|i1,i2      |3|''",
        "1|i3,i1,i2   |0|destroy i1 i2 terminate",
        "2|i-9,i-10,B |4|destroy B terminate",
        // IDs in UTF-8 byte order: 'i-10' before 'i-9'
        "1|i-9,i-10   |0|destroy i-10 terminate",
    })
    void plansCreationsAndDestructions(long wanted, String listed, int pending, String expected) {
        assertThat(Plans.describe(Scaler.plan(wanted, Plans.members(listed, "h"), pending))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "size {0}, listed [{1}]: converged {2}")
    @CsvSource(delimiter = '|', value = {
        "2|i1,i2            |true",
        "2|i1               |false",
        "2|i1,i2,i3         |false",
        "2|i1,i2:-:old      |false",
        "1|i1:-:bootstrap   |false",
    })
    void convergedWhenExactlyTheSizeOnTheCurrentConfiguration(long size, String listed, boolean converged)
            throws Exception {
        GroupSpec spec = Harness.cattle("g", size, "v1");
        GroupSettings gs = GroupSettings.of("g", GroupProperties.parse(spec.properties()));
        assertThat(Scaler.converged(gs, Plans.members(listed, gs.hash()))).isEqualTo(converged);
    }

    @org.junit.jupiter.api.Test
    void aHugeShortageIsOneOperationWithoutAListOfThatSize() {
        List<Operation> ops = Scaler.plan(Integer.MAX_VALUE + 10L, List.of(), 0);
        Operation.Create c = (Operation.Create) ops.get(0);
        assertThat(c.logicalIDs()).hasSize(Integer.MAX_VALUE).isInstanceOf(Collections.nCopies(1, null).getClass());
        assertThat(c.note()).isEqualTo("0 instances, 2147483657 wanted: creating 2147483647");
    }
}
