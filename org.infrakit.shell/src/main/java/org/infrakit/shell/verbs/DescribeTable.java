package org.infrakit.shell.verbs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.Tags;

/**
 * The instance table of {@code group describe} and {@code instance describe}, in the 2017 CLI's
 * layout: Go's {@code "%-30s\t%-30s\t%-s\n"} for {@code ID}, {@code LOGICAL}, {@code TAGS}
 * (tabs included), the literal {@code "  -   "} for a missing logical ID, and the tags as
 * {@code key=value} strings sorted and joined with {@code ,}. With properties a
 * {@code PROPERTIES} column holds each description's properties as compact JSON ({@code -} when
 * absent), where the Go CLI printed Go's {@code %v} of the decoded value.
 */
final class DescribeTable {
    private static final String NO_LOGICAL_ID = "  -   ";

    private DescribeTable() {
    }

    static String render(List<InstanceDescription> instances, boolean quiet, boolean properties) {
        StringBuilder b = new StringBuilder();
        if (!quiet) {
            b.append(properties ? row4("ID", "LOGICAL", "TAGS", "PROPERTIES") : row3("ID", "LOGICAL", "TAGS"));
        }
        for (InstanceDescription d : instances == null ? List.<InstanceDescription>of() : instances) {
            String logical = d.logicalID() == null ? NO_LOGICAL_ID : d.logicalID();
            String tags = tags(d.tags());
            b.append(properties
                    ? row4(d.id(), logical, tags, d.properties() == null ? "-" : d.properties().json())
                    : row3(d.id(), logical, tags));
        }
        return b.toString();
    }

    /** @return the tags as sorted {@code key=value} strings joined with {@code ,} */
    static String tags(Map<String, String> tags) {
        if (tags == null || tags.isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        tags.forEach((k, v) -> pairs.add(k + "=" + v));
        pairs.sort(Tags.UTF8_ORDER);
        return String.join(",", pairs);
    }

    private static String row3(String a, String b, String c) {
        return String.format("%-30s\t%-30s\t%s\n", a, b, c);
    }

    private static String row4(String a, String b, String c, String d) {
        return String.format("%-30s\t%-30s\t%-30s\t%s\n", a, b, c, d);
    }
}
