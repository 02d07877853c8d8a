package org.infrakit.group.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.infrakit.spi.Health;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rolling update's decisions, from tables: no plugin, no thread, no clock. */
class RollingUpdateTest {
    private static final long HEALTH = 200;
    private static final long POLL = 10_000;
    private static final long MINUTE = 60_000_000_000L;

    /**
     * Members are {@code id:logicalID:hash} with hash {@code new} or {@code old}; health is
     * {@code id=HEALTHY} for the members on the new configuration that were asked.
     */
    @ParameterizedTest(name = "[{index}] {2} / {3} -> {6}")
    @CsvSource(delimiter = '|', value = {
        // expected|desired|members                          |health                    |since|now        |operation                      |next expected|next since
        "-1|3|b:-:old,a:-:old,c:-:old                       |                          |-1  |1000       |destroy a rolling_update         |0|-1",
        " 1|3|a:-:new,b:-:old,c:-:old                       |a=UNKNOWN                 |-1  |1000       |wait 200                         |1|1000",
        " 1|3|a:-:new,b:-:old,c:-:old                       |a=UNKNOWN                 |500 |1000       |wait 200                         |1|500",
        " 1|3|a:-:new,b:-:old,c:-:old                       |a=HEALTHY                 |500 |1000       |destroy b rolling_update         |1|-1",
        // every member on the new configuration is asked each time: one unhealthy fails the update
        " 2|3|a:-:new,d:-:new,c:-:old                       |a=HEALTHY,d=UNHEALTHY     |-1  |1000       |failed Instance d is unhealthy   |2|-1",
        " 2|3|a:-:new,d:-:new,c:-:old                       |a=HEALTHY,d=UNKNOWN       |-1  |1000       |wait 200                         |2|1000",
        // counted once: the members already on the new configuration when the update starts
        "-1|3|a:-:new,d:-:new,c:-:old                       |a=HEALTHY,d=HEALTHY       |-1  |1000       |destroy c rolling_update         |2|-1",
        // never waits for more than the group's size
        " 5|2|a:-:new,d:-:new,c:-:old                       |a=HEALTHY,d=HEALTHY       |-1  |1000       |destroy c rolling_update         |5|-1",
        // stalled for over a minute: health is asked at the poll interval
        " 1|3|a:-:new,b:-:old                               |a=UNKNOWN                 |0   |60000000001|wait 10000                       |1|0",
        " 3|3|a:-:new,d:-:new,e:-:new                       |a=HEALTHY,d=HEALTHY,e=HEALTHY|-1|1000      |done 7                           |3|-1",
    })
    void plansOneReplacementAtATimeGatedByHealth(long expected, long desired, String members, String health,
            long since, long now, String operation, long nextExpected, long nextSince) {
        RollingUpdate u = new RollingUpdate("new", 7, expected, since);
        Map<String, Health> asked = new LinkedHashMap<>();
        for (String h : Plans.split(health)) {
            asked.put(h.substring(0, h.indexOf('=')), Health.valueOf(h.substring(h.indexOf('=') + 1)));
        }
        RollingUpdate.Step step = u.plan(Plans.members(members, "x"), desired, asked, now, HEALTH, POLL);
        assertThat(Plans.describe(step.op())).isEqualTo(operation);
        assertThat(step.next()).isEqualTo(new RollingUpdate("new", 7, nextExpected, nextSince));
    }

    @Test
    void onlyTheMembersOnTheNewConfigurationAreAskedForHealth() {
        RollingUpdate u = RollingUpdate.towards("new", -1);
        assertThat(u.onNewConfig(Plans.members("a:-:old,b:-:new,c:-:bootstrap,d:-:new", "x")))
                .extracting(m -> m.id()).containsExactly("b", "d");
        assertThat(u.replacedOne()).isEqualTo(new RollingUpdate("new", -1, 0, -1));
        assertThat(MINUTE).isEqualTo(RollingUpdate.STALLED_NANOS);
    }
}
