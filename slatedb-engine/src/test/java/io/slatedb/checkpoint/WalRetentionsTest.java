package io.slatedb.checkpoint;

import io.slatedb.WalRetention;
import io.slatedb.manifest.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How WAL retention slots are told apart from ordinary checkpoints by name. */
@Timeout(10)
class WalRetentionsTest {

    private static Checkpoint named(String name) {
        return new Checkpoint(UUID.randomUUID(), 7, 0, 100, name);
    }

    @Test
    void slotNamesCarryTheNameAndTheWalId() {
        Checkpoint c = named("slatedb.wal_retention:orders:connector:12");
        WalRetention slot = WalRetentions.parse(c).orElseThrow();
        assertEquals("orders:connector", slot.name(), "the name may hold colons: the id follows the last one");
        assertEquals(12, slot.walId());
        assertEquals(c.id(), slot.checkpointId());
        assertEquals(7, slot.manifestId());
        assertEquals(null, slot.expireTime());
        assertEquals(Long.MIN_VALUE, WalRetentions.parse(named("slatedb.wal_retention:x:9223372036854775808"))
                .orElseThrow().walId(), "ids are unsigned");
    }

    @Test
    void otherNamesAreOrdinaryCheckpoints() {
        for (String name : new String[] {null, "", "reader", "slatedb.wal_retention:", "slatedb.wal_retention:x:",
                "slatedb.wal_retention:x:-1", "slatedb.wal_retention:x:y", "wal_retention:x:1"}) {
            assertEquals(Optional.empty(), WalRetentions.parse(named(name)), String.valueOf(name));
        }
    }

    @Test
    void theLowestHeldIdIsTheMinimumOverSlots() {
        List<Checkpoint> checkpoints = List.of(named("reader"), named("slatedb.wal_retention:a:30"),
                named("slatedb.wal_retention:b:12"));
        assertEquals(OptionalLong.of(12), WalRetentions.lowestHeld(checkpoints));
        assertEquals(OptionalLong.empty(), WalRetentions.lowestHeld(List.of(named("reader"))));
    }
}
