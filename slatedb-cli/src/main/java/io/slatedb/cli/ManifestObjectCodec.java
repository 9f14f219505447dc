package io.slatedb.cli;

import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCodec;
import io.slatedb.metadata.ObjectCodec;

/** Manifest objects for {@link io.slatedb.metadata.SequencedObjectStore}: {@link ManifestCodec}'s bytes. */
final class ManifestObjectCodec implements ObjectCodec<Manifest> {

    static final ManifestObjectCodec INSTANCE = new ManifestObjectCodec();

    private ManifestObjectCodec() {
    }

    @Override
    public byte[] encode(Manifest value) {
        return ManifestCodec.encode(value);
    }

    @Override
    public Manifest decode(String path, byte[] bytes) {
        return ManifestCodec.decode(path, bytes);
    }
}
