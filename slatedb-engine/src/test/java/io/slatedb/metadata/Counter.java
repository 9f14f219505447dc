package io.slatedb.metadata;

import io.slatedb.CorruptObjectException;

import java.nio.charset.StandardCharsets;

/** A tiny metadata value for protocol tests: an epoch and a counter, stored as "epoch:value". */
record Counter(long epoch, long value) {

    static final ObjectCodec<Counter> CODEC = new ObjectCodec<>() {
        @Override
        public byte[] encode(Counter c) {
            return (c.epoch + ":" + c.value).getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public Counter decode(String path, byte[] bytes) {
            String[] parts = new String(bytes, StandardCharsets.US_ASCII).split(":");
            if (parts.length != 2) {
                throw new CorruptObjectException(path, "not a counter");
            }
            return new Counter(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        }
    };

    static final FenceableObject.EpochField<Counter> EPOCH = new FenceableObject.EpochField<>() {
        @Override
        public long epoch(Counter value) {
            return value.epoch();
        }

        @Override
        public Counter withEpoch(Counter value, long epoch) {
            return new Counter(epoch, value.value());
        }
    };

    Counter plus(long n) {
        return new Counter(epoch, value + n);
    }
}
