package io.slatedb.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of {@code manifest show} taken apart: the summary's label/value pairs, the SST rows of each
 * section ({@code L0}, {@code run <id>}) and the checkpoint rows, each row split into its columns.
 */
final class ShowText {
    private static final Pattern SUMMARY = Pattern.compile("^  (\\S.*?) {2,}(\\S.*)$");
    private static final Pattern SST_ROW = Pattern.compile("^ +[0-9A-HJKMNP-TV-Z]{26} .*$");
    private static final Pattern CHECKPOINT_ROW = Pattern.compile("^  [0-9a-f]{8}-[0-9a-f]{4}-.*$");
    private static final Pattern RUN = Pattern.compile("^  run (\\d+): .*$");

    final String header;
    final Map<String, String> summary = new LinkedHashMap<>();
    final Map<String, List<String[]>> sstRows = new LinkedHashMap<>();
    final List<String[]> checkpointRows = new ArrayList<>();
    final List<String> sectionLines = new ArrayList<>();

    ShowText(String text) {
        List<String> lines = text.lines().toList();
        header = lines.get(0);
        int i = 1;
        for (; i < lines.size() && !lines.get(i).isEmpty(); i++) {
            Matcher m = SUMMARY.matcher(lines.get(i));
            if (!m.matches()) {
                throw new AssertionError("not a summary line: '" + lines.get(i) + "'");
            }
            summary.put(m.group(1), m.group(2));
        }
        String section = null;
        for (; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher run = RUN.matcher(line);
            if (line.startsWith("L0")) {
                section = "L0";
                sectionLines.add(line);
            } else if (run.matches()) {
                section = "run " + run.group(1);
                sectionLines.add(line);
            } else if (!line.isEmpty() && !line.startsWith(" ")) {
                section = null;
                sectionLines.add(line);
            } else if (section != null && SST_ROW.matcher(line).matches()) {
                sstRows.computeIfAbsent(section, k -> new ArrayList<>()).add(columns(line));
            } else if (CHECKPOINT_ROW.matcher(line).matches()) {
                checkpointRows.add(columns(line));
            }
        }
    }

    private static String[] columns(String line) {
        return line.strip().split(" {2,}");
    }
}
