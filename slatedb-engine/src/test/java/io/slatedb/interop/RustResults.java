package io.slatedb.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** The typed results of the harness scripts (bytes decoded from hex, absent integers as {@code null}). */
public final class RustResults {

    private static final HexFormat HEX = HexFormat.of();

    private RustResults() {
    }

    /** What {@code probe.mjs} found: the installed binding and the codecs its SlateDB build accepts. */
    public record Probe(String bindingVersion, String node, String platform, String arch, String nativeLibrary,
                        List<String> codecs) {
    }

    /** The outcome of one operation of a write job; seq and createTs are set for writes. */
    public record OpResult(int index, String op, Long seq, Long createTs, JsonNode raw) {
    }

    /**
     * The outcome of a write job: one {@link OpResult} per operation, the writer's durable seq before it
     * closed, and the harness's summary of the latest manifest afterwards.
     */
    public record WriteResult(List<OpResult> ops, long durableSeq, JsonNode manifest) {

        /** The results of the writes (put, delete, batch), in order. */
        public List<OpResult> writes() {
            return ops.stream().filter(o -> o.seq() != null).toList();
        }

        /** The checkpoints created by {@code checkpoint} operations, in order. */
        public List<Checkpoint> checkpoints() {
            return ops.stream().filter(o -> o.op().equals("checkpoint"))
                    .map(o -> checkpoint(o.raw().path("checkpoint"))).toList();
        }
    }

    /** A checkpoint as recorded in the manifest (times in Unix seconds; expire 0 = never). */
    public record Checkpoint(UUID id, long manifestId, long expireTimeS, long createTimeS) {
    }

    /** One row seen by a reader: key, value and the row's version metadata. */
    public record Row(byte[] key, byte[] value, Long seq, Long createTs, Long expireTs) {

        public String keyUtf8() {
            return new String(key, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Row r && Arrays.equals(key, r.key) && Arrays.equals(value, r.value)
                    && Objects.equals(seq, r.seq) && Objects.equals(createTs, r.createTs)
                    && Objects.equals(expireTs, r.expireTs);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(key), Arrays.hashCode(value), seq, createTs, expireTs);
        }

        @Override
        public String toString() {
            return "Row[key=" + hexOrNull(key) + ", value=" + hexOrNull(value) + ", seq=" + seq + ", createTs="
                    + createTs + ", expireTs=" + expireTs + "]";
        }
    }

    /** A read job's outcome: the full scan, the point reads, and the reader's durable seq. */
    public record ReadResult(List<Row> entries, List<Row> gets, long durableSeq) {
    }

    /** One WAL file as SlateDB's {@code WalReader} sees it. */
    public record WalFileDump(long id, long sizeBytes, List<WalRow> rows) {
    }

    /** A raw WAL row: kind is "Value", "Tombstone" or "Merge"; value is null for tombstones. */
    public record WalRow(String kind, byte[] key, byte[] value, long seq, Long createTs, Long expireTs) {

        @Override
        public boolean equals(Object o) {
            return o instanceof WalRow r && kind.equals(r.kind) && Arrays.equals(key, r.key)
                    && Arrays.equals(value, r.value) && seq == r.seq && Objects.equals(createTs, r.createTs)
                    && Objects.equals(expireTs, r.expireTs);
        }

        @Override
        public int hashCode() {
            return Objects.hash(kind, Arrays.hashCode(key), Arrays.hashCode(value), seq, createTs, expireTs);
        }

        @Override
        public String toString() {
            return "WalRow[" + kind + ", key=" + hexOrNull(key) + ", value=" + hexOrNull(value) + ", seq=" + seq
                    + ", createTs=" + createTs + ", expireTs=" + expireTs + "]";
        }
    }

    static Probe probe(JsonNode n) {
        List<String> codecs = new ArrayList<>();
        n.path("codecs").forEach(c -> codecs.add(c.asText()));
        return new Probe(n.path("bindingVersion").asText(), n.path("node").asText(), n.path("platform").asText(),
                n.path("arch").asText(), n.path("nativeLibrary").asText(), List.copyOf(codecs));
    }

    static WriteResult writeResult(JsonNode n) {
        List<OpResult> ops = new ArrayList<>();
        for (JsonNode op : n.path("ops")) {
            ops.add(new OpResult(op.path("index").asInt(), op.path("op").asText(), longOrNull(op.get("seq")),
                    longOrNull(op.get("createTs")), op));
        }
        return new WriteResult(List.copyOf(ops), n.path("durableSeq").asLong(), n.path("manifest"));
    }

    static Checkpoint checkpoint(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            throw new RustSlateDbException("the harness reported no checkpoint: " + n);
        }
        return new Checkpoint(UUID.fromString(n.path("id").asText()), n.path("manifestId").asLong(),
                n.path("expireTimeS").asLong(), n.path("createTimeS").asLong());
    }

    static ReadResult readResult(JsonNode n) {
        return new ReadResult(rows(n.path("entries")), rows(n.path("gets")),
                n.path("status").path("durableSeq").asLong());
    }

    static List<WalFileDump> walDump(JsonNode n) {
        List<WalFileDump> files = new ArrayList<>();
        for (JsonNode f : n.path("files")) {
            List<WalRow> rows = new ArrayList<>();
            for (JsonNode r : f.path("rows")) {
                rows.add(new WalRow(r.path("kind").asText(), bytes(r.get("key")), bytes(r.get("value")),
                        r.path("seq").asLong(), longOrNull(r.get("createTs")), longOrNull(r.get("expireTs"))));
            }
            files.add(new WalFileDump(f.path("id").asLong(), f.path("sizeBytes").asLong(), List.copyOf(rows)));
        }
        return List.copyOf(files);
    }

    private static List<Row> rows(JsonNode array) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode r : array) {
            rows.add(new Row(bytes(r.get("key")), bytes(r.get("value")), longOrNull(r.get("seq")),
                    longOrNull(r.get("createTs")), longOrNull(r.get("expireTs"))));
        }
        return List.copyOf(rows);
    }

    static Long longOrNull(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        // Integers beyond 2^53 arrive as decimal strings; u64 values above Long.MAX_VALUE keep their bits.
        if (n.isTextual()) {
            String text = n.asText();
            return text.startsWith("-") ? Long.parseLong(text) : Long.parseUnsignedLong(text);
        }
        return n.asLong();
    }

    static byte[] bytes(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : HEX.parseHex(n.asText());
    }

    private static String hexOrNull(byte[] b) {
        return b == null ? "null" : HEX.formatHex(b);
    }
}
