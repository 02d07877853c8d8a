package org.infrakit.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a JDK Flight Recorder recording says about where a process spent its time: the hottest
 * methods by execution samples, the project code on those stacks, the threads, the allocation
 * sites by sampled weight, and the time spent in GC and in JIT compilation.
 */
final class JfrSummary {
    private static final int TOP = 10;

    private final Map<String, Long> selfMethods = new HashMap<>();
    private final Map<String, Long> projectFrames = new HashMap<>();
    private final Map<String, Long> threads = new HashMap<>();
    private final Map<String, Long> allocations = new HashMap<>();
    private final Map<String, Long> nativeMethods = new HashMap<>();
    private long samples;
    private long nativeSamples;
    private long allocationWeight;
    private long gcCount;
    private Duration gcTime = Duration.ZERO;
    private long compilationsFirst = -1;
    private long compilationsLast = -1;
    private Duration compileTimeFirst = Duration.ZERO;
    private Duration compileTimeLast = Duration.ZERO;
    private long classesLoaded = -1;

    /**
     * @param recording a {@code .jfr} file
     * @return its summary
     * @throws IOException when it cannot be read
     */
    static JfrSummary of(Path recording) throws IOException {
        JfrSummary s = new JfrSummary();
        try (RecordingFile f = new RecordingFile(recording)) {
            while (f.hasMoreEvents()) {
                s.add(f.readEvent());
            }
        }
        return s;
    }

    private void add(RecordedEvent e) {
        switch (e.getEventType().getName()) {
            case "jdk.ExecutionSample" -> {
                List<String> frames = frames(e.getStackTrace());
                if (frames.isEmpty()) {
                    return;
                }
                samples++;
                selfMethods.merge(frames.get(0), 1L, Long::sum);
                String project = frames.stream().filter(m -> m.startsWith("org.infrakit.")).findFirst()
                        .orElse("(no project frame)");
                projectFrames.merge(project, 1L, Long::sum);
                RecordedThread t = e.getThread("sampledThread");
                threads.merge(t == null ? "(unknown)" : threadName(t), 1L, Long::sum);
            }
            case "jdk.NativeMethodSample" -> {
                // a thread in native code (socket reads and writes, polling, file syncs): not in the
                // execution samples, which only sample threads running Java code
                List<String> frames = frames(e.getStackTrace());
                if (frames.isEmpty()) {
                    return;
                }
                nativeSamples++;
                String caller = frames.stream().filter(m -> !isJdk(m)).findFirst().orElse("(JDK only)");
                nativeMethods.merge(frames.get(0) + " ← " + caller, 1L, Long::sum);
            }
            case "jdk.ObjectAllocationSample" -> {
                long weight = e.getLong("weight");
                List<String> frames = frames(e.getStackTrace());
                String site = frames.stream().filter(m -> !isJdk(m)).findFirst()
                        .orElse(frames.isEmpty() ? "(no stack)" : frames.get(0));
                String type = e.getClass("objectClass") == null ? "?" : e.getClass("objectClass").getName();
                allocations.merge(site + " → " + type, weight, Long::sum);
                allocationWeight += weight;
            }
            case "jdk.GarbageCollection" -> {
                gcCount++;
                gcTime = gcTime.plus(e.getDuration());
            }
            case "jdk.CompilerStatistics" -> {
                // periodic and cumulative since the JVM started: the recording's share is last minus first
                long count = e.getLong("compileCount");
                Duration spent = e.getDuration("totalTimeSpent");
                if (compilationsFirst < 0 || count < compilationsFirst) {
                    compilationsFirst = count;
                    compileTimeFirst = spent;
                }
                if (count >= compilationsLast) {
                    compilationsLast = count;
                    compileTimeLast = spent;
                }
            }
            case "jdk.ClassLoadingStatistics" -> classesLoaded = Math.max(classesLoaded, e.getLong("loadedClassCount"));
            default -> {
                // not summarised
            }
        }
    }

    private static String threadName(RecordedThread t) {
        String name = t.getJavaName() != null ? t.getJavaName() : t.getOSName();
        // pool threads are told apart by a trailing number; the pool is what matters
        return name == null ? "(unnamed)" : name.replaceAll("[-#]?\\d+$", "-N");
    }

    private static List<String> frames(RecordedStackTrace st) {
        List<String> out = new ArrayList<>();
        if (st == null) {
            return out;
        }
        for (RecordedFrame f : st.getFrames()) {
            if (f.getMethod() == null) {
                continue;
            }
            out.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
        }
        return out;
    }

    private static boolean isJdk(String method) {
        return method.startsWith("java.") || method.startsWith("jdk.") || method.startsWith("sun.")
                || method.startsWith("com.sun.");
    }

    /** @return the number of execution samples */
    long samples() {
        return samples;
    }

    /** @return the hottest methods by self samples, hottest first */
    List<Map.Entry<String, Long>> hotMethods() {
        return top(selfMethods);
    }

    /** @return the first project frame of each sampled stack, most frequent first */
    List<Map.Entry<String, Long>> projectFrames() {
        return top(projectFrames);
    }

    /**
     * @param title the heading of the phase
     * @param what what the recording covered, one sentence
     * @param startOfJvm whether the recording began with the JVM (its JIT figures count from zero)
     * @return Markdown lines
     */
    List<String> render(String title, String what, boolean startOfJvm) {
        List<String> out = new ArrayList<>();
        out.add("### " + title);
        out.add("");
        String jit = compilationsLast < 0 ? "not recorded" : String.format(Locale.ROOT, "%,d compilations, %,d ms "
                + "of compiler threads (%s)", compilationsLast - (startOfJvm ? 0 : compilationsFirst),
                compileTimeLast.minus(startOfJvm ? Duration.ZERO : compileTimeFirst).toMillis(),
                startOfJvm ? "since the JVM started" : "between the recording's first and last statistics");
        out.add(what + String.format(Locale.ROOT, " %,d execution samples (threads running Java code), %,d native "
                + "samples (threads in native code); GC: %,d collections, %,d ms; JIT: %s%s.",
                samples, nativeSamples, gcCount, gcTime.toMillis(), jit,
                classesLoaded >= 0 ? String.format(Locale.ROOT, "; classes loaded: %,d", classesLoaded) : ""));
        out.add("");
        table(out, "Hot method (self time)", "samples", hotMethods(), samples, false);
        table(out, "First project frame on the sampled stack", "samples", projectFrames(), samples, false);
        table(out, "Thread", "samples", top(threads), samples, false);
        table(out, "In native code: method ← first caller outside the JDK", "samples", top(nativeMethods),
                nativeSamples, false);
        if (allocationWeight > 0) {
            table(out, "Allocation site (first frame outside the JDK) → class", "sampled MiB", top(allocations),
                    allocationWeight, true);
        }
        return out;
    }

    private static void table(List<String> out, String name, String unit, List<Map.Entry<String, Long>> rows,
            long total, boolean mebibytes) {
        if (rows.isEmpty()) {
            return;
        }
        out.add("| " + name + " | " + unit + " | share |");
        out.add("|---|--:|--:|");
        for (Map.Entry<String, Long> r : rows) {
            String v = mebibytes ? String.format(Locale.ROOT, "%,.1f", r.getValue() / 1024.0 / 1024.0)
                    : String.format(Locale.ROOT, "%,d", r.getValue());
            out.add("| `" + r.getKey().replace("|", "\\|") + "` | " + v + " | "
                    + String.format(Locale.ROOT, "%.1f %%", 100.0 * r.getValue() / Math.max(1, total)) + " |");
        }
        out.add("");
    }

    private static List<Map.Entry<String, Long>> top(Map<String, Long> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP).map(e -> Map.entry(e.getKey(), e.getValue())).toList();
    }
}
