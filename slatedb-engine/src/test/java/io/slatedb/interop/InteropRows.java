package io.slatedb.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.slatedb.interop.RustResults.Row;
import io.slatedb.interop.RustResults.WalRow;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.ValueKind;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

/**
 * Conversions between what the Rust side reports (harness results, golden descriptions) and this project's
 * {@link RowEntry}, so that tests compare rows as values rather than field by field.
 */
public final class InteropRows {

    private static final HexFormat HEX = HexFormat.of();

    private InteropRows() {
    }

    /** A raw WAL row as SlateDB's {@code WalReader} reported it. */
    public static RowEntry fromWalRow(WalRow row) {
        return new RowEntry(row.key(), kindOf(row.kind()), row.kind().equals("Tombstone") ? null : row.value(),
                row.seq(), optional(row.createTs()), optional(row.expireTs()));
    }

    /** The rows of a golden description's {@code expected.wal[].rows} (value as hex or a value pattern). */
    public static List<RowEntry> fromJsonWalRows(JsonNode rows) {
        return java.util.stream.StreamSupport.stream(rows.spliterator(), false).map(r -> {
            ValueKind kind = kindOf(r.path("kind").asText());
            return new RowEntry(HEX.parseHex(r.path("key").asText()), kind,
                    kind == ValueKind.TOMBSTONE ? null : valueOf(r), r.path("seq").asLong(),
                    optional(RustResults.longOrNull(r.get("createTs"))),
                    optional(RustResults.longOrNull(r.get("expireTs"))));
        }).toList();
    }

    /** A golden description's {@code expected.entries} (what a SlateDB reader returned) as reader rows. */
    public static List<Row> fromJsonEntries(JsonNode entries) {
        return java.util.stream.StreamSupport.stream(entries.spliterator(), false).map(e -> new Row(
                HEX.parseHex(e.path("key").asText()), valueOf(e), RustResults.longOrNull(e.get("seq")),
                RustResults.longOrNull(e.get("createTs")), RustResults.longOrNull(e.get("expireTs")))).toList();
    }

    /**
     * The value of a JSON operation, row or entry: {@code value} as hex, or {@code valuePattern}
     * ({@link ValuePattern}); null when it has neither (or a JSON null value).
     */
    public static byte[] valueOf(JsonNode node) {
        JsonNode pattern = node.get("valuePattern");
        if (pattern != null && !pattern.isNull()) {
            return ValuePattern.bytes(pattern.path("len").asInt(), pattern.path("seed").asInt());
        }
        JsonNode value = node.get("value");
        return value == null || value.isNull() ? null : HEX.parseHex(value.asText());
    }

    /** A visible row as a SlateDB reader returns it: the value row's key, value and version metadata. */
    public static Row toReadRow(RowEntry row) {
        if (row.kind() != ValueKind.VALUE) {
            throw new IllegalArgumentException("readers return values, not " + row);
        }
        return new Row(row.key(), row.value(), row.seq(), boxed(row.createTs()), boxed(row.expireTs()));
    }

    public static List<Row> toReadRows(List<RowEntry> rows) {
        return rows.stream().map(InteropRows::toReadRow).toList();
    }

    private static ValueKind kindOf(String kind) {
        return switch (kind) {
            case "Value" -> ValueKind.VALUE;
            case "Tombstone" -> ValueKind.TOMBSTONE;
            case "Merge" -> ValueKind.MERGE_OPERAND;
            default -> throw new IllegalArgumentException("unknown row kind " + kind);
        };
    }

    static OptionalLong optional(Long value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private static Long boxed(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }
}
